#!/usr/bin/env bash
# Installs what sskiosk needs to build, run and test on Debian 12, skipping what is already there.
# Safe to run again; needs root (or sudo) only when something is missing.
set -euo pipefail

# Build: C libraries the diesel backends link to. Test and benchmark: the SQLite and PostgreSQL
# command-line clients (the benchmark compares with their bulk loaders).
# Cards: pcscd and libpcsclite (PC/SC), the vpcd virtual reader driver that the card tests and
# `sskiosk virtual-card` plug into, and pcsc-tools (pcsc_scan, scriptor) to look by hand.
# Certificates: the CJK font embedded in every PDF; the tests' real parts: an IPP printer
# (ippeveprinter, which needs avahi over D-Bus), pdftoppm/pdffonts, zbarimg; chromium for the
# benchmark's comparison and the browser tests of the kiosk and staff pages.
# espeak-ng: the hall display's announcements rendered on the server (Mandarin voice cmn).
# wrk: the load generator of the window benchmark (benches/window.rs). time: GNU time, through
# which the benchmarks read a command's peak memory (benches/support).
PACKAGES=(build-essential pkg-config libsqlite3-dev libpq-dev sqlite3 postgresql-client
  pcscd libpcsclite-dev vsmartcard-vpcd pcsc-tools
  fonts-wqy-microhei cups-ipp-utils avahi-daemon dbus poppler-utils zbar-tools chromium
  espeak-ng wrk time)

# The browser tests run on Node.js (>= 18; Debian 12's nodejs is 18). A Node.js from elsewhere
# (e.g. NodeSource, which bundles npm) is kept; Debian's nodejs needs its separate npm package.
command -v node >/dev/null || PACKAGES+=(nodejs)
command -v npm >/dev/null || PACKAGES+=(npm)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

# vpcd's two virtual readers listen on 35963 and 35964, inside Linux's ephemeral port range: an
# outgoing connection that happened to get one of them as its local port made pcscd fail to
# open that reader ("Address already in use"). Keep them out of the ephemeral range (needs root;
# also kept across reboots through sysctl.d).
RESERVED=/proc/sys/net/ipv4/ip_local_reserved_ports
if [ "$(id -u)" -eq 0 ] && [ -w "$RESERVED" ] && ! grep -q 35963 "$RESERVED"; then
  current="$(cat "$RESERVED")"
  echo "${current:+$current,}35963-35964" > "$RESERVED"
  [ -d /etc/sysctl.d ] &&
    echo "net.ipv4.ip_local_reserved_ports = $(cat "$RESERVED")" > /etc/sysctl.d/60-sskiosk-vpcd.conf
fi

if ! command -v cargo >/dev/null; then
  echo "setup: cargo is missing. Install the Rust toolchain (https://rustup.rs, or Debian's cargo" >&2
  echo "       package if it is 1.85 or newer), then run this again." >&2
  exit 1
fi

# playwright-core (driving Debian's chromium, no browser download) and axe-core, at the versions
# pinned in tests/browser/package-lock.json; skipped when already installed at those versions.
BROWSER_DIR="$(dirname "$0")/../tests/browser"
if ! cmp -s "$BROWSER_DIR/package-lock.json" "$BROWSER_DIR/node_modules/.installed-lock.json"; then
  echo "setup: installing the browser tests' npm packages"
  (cd "$BROWSER_DIR" && npm ci --no-audit --no-fund --silent &&
    cp package-lock.json node_modules/.installed-lock.json)
fi
