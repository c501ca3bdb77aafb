#!/usr/bin/env bash
# Starts the kiosk screen on a kiosk PC (run from the kiosk user's graphical session, e.g. as an
# autostart entry): checks the card service and reader, the printer and the local sskiosk, then
# shows Chromium full screen at the local kiosk page. See docs/kiosk-setup.md.
#
#   scripts/kiosk-launch.sh [--check-only]
#
# Environment: SSKIOSK_URL (default http://127.0.0.1:8081, the kiosk terminal), SSKIOSK_PRINTER (an ipp:// URI to
# check; default: the printer_uri of /etc/sskiosk/sskiosk.toml if any), CHROMIUM (default chromium).
set -uo pipefail

url="${SSKIOSK_URL:-http://127.0.0.1:8081}"
chromium="${CHROMIUM:-chromium}"
problems=0
say() { printf '%s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; problems=$((problems + 1)); }

# 1. The card service and a reader. The screen shows "service down" / "no reader" by itself,
#    but whoever starts the kiosk should know now.
if pgrep -x pcscd >/dev/null; then
  say "pcscd: running"
  if command -v pcsc_scan >/dev/null; then
    readers=$(timeout 3 pcsc_scan -r 2>/dev/null | grep -c '^[0-9]*:' || true)
    [ "${readers:-0}" -gt 0 ] && say "card readers: $readers" || warn "pcscd sees no card reader: plug in the reader"
  fi
else
  warn "pcscd is not running: systemctl start pcscd (Debian package pcscd)"
fi

# 2. The printer (IPP): answers Get-Printer-Attributes, and says idle or processing.
printer="${SSKIOSK_PRINTER:-}"
if [ -z "$printer" ] && [ -r /etc/sskiosk/sskiosk.toml ]; then
  printer=$(sed -n 's/^printer_uri *= *"\(ipps\?:\/\/[^"]*\)".*/\1/p' /etc/sskiosk/sskiosk.toml | head -1)
fi
if [ -n "$printer" ]; then
  if command -v ipptool >/dev/null; then
    if timeout 10 ipptool -q -T 5 "$printer" get-printer-attributes.test; then
      say "printer: $printer answers"
    else
      warn "printer $printer does not answer: certificates will wait in the queue until it does"
    fi
  else
    warn "ipptool (Debian package cups-ipp-utils) is missing: printer not checked"
  fi
else
  say "printer: not checked (set SSKIOSK_PRINTER=ipp://…)"
fi

# 3. The local kiosk terminal (systemd unit deploy/sskiosk-terminal.service).
for _ in $(seq 1 60); do
  curl -fsS "$url/healthz" >/dev/null 2>&1 && break
  sleep 1
done
if curl -fsS "$url/healthz" >/dev/null 2>&1; then
  say "sskiosk: ready at $url"
else
  warn "sskiosk is not ready at $url: systemctl status sskiosk-terminal"
fi

[ "${1:-}" = "--check-only" ] && exit $((problems > 0))

# 4. The screen: full screen, no first-run dialogs, no pinch zoom, no translate bar, no network
#    services of Google's (closed network).
exec "$chromium" --kiosk --no-first-run --noerrdialogs --disable-infobars \
  --disable-translate --disable-features=Translate --disable-pinch --overscroll-history-navigation=0 \
  --disable-background-networking --disable-component-update --check-for-update-interval=31536000 \
  --lang=zh-CN --autoplay-policy=no-user-gesture-required \
  "$url/kiosk/"
