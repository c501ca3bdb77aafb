#!/usr/bin/env bash
# Builds the last all-in-one sskiosk (before the center/terminal split of issue 10) as a release
# binary, once, for the kiosk benchmark's baseline measured in the same run
# (target/bench-baseline/sskiosk). Its source is a detached worktree of that commit.
set -euo pipefail
cd "$(dirname "$0")/.."
BASELINE_COMMIT=9e0f9f3
out=target/bench-baseline
[ -x "$out/sskiosk" ] && exit 0
mkdir -p "$out"
if [ ! -d "$out/src" ]; then
  git worktree add --detach "$out/src" "$BASELINE_COMMIT" >/dev/null
fi
cargo build --release --manifest-path "$out/src/Cargo.toml" --target-dir "$out/target"
cp "$out/target/release/sskiosk" "$out/sskiosk"
