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
# benchmark's comparison.
PACKAGES=(build-essential pkg-config libsqlite3-dev libpq-dev sqlite3 postgresql-client
  pcscd libpcsclite-dev vsmartcard-vpcd pcsc-tools
  fonts-wqy-microhei cups-ipp-utils avahi-daemon dbus poppler-utils zbar-tools chromium)

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

if ! command -v cargo >/dev/null; then
  echo "setup: cargo is missing. Install the Rust toolchain (https://rustup.rs, or Debian's cargo" >&2
  echo "       package if it is 1.85 or newer), then run this again." >&2
  exit 1
fi
