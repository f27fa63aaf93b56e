#!/bin/sh
# Runs the Foundry tool this file is linked as (forge, anvil, cast) from its npm platform package.
# Why not node_modules/.bin/forge: that launcher spawns the binary and never passes its exit status on, so a
# failing `forge test` exits 0 (found by `npm run test:planted-bugs`, @foundry-rs/forge 1.7.1).
tool=$(basename "$0")
root=$(cd "$(dirname "$0")/../.." && pwd)
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) platform=linux-amd64 ;;
  Linux-aarch64 | Linux-arm64) platform=linux-arm64 ;;
  Darwin-arm64) platform=darwin-arm64 ;;
  Darwin-x86_64) platform=darwin-amd64 ;;
  *) echo "$tool: no Foundry build for $(uname -s) $(uname -m)" >&2; exit 1 ;;
esac
binary="$root/node_modules/@foundry-rs/$tool-$platform/bin/$tool"
if [ ! -x "$binary" ]; then
  echo "$tool: $binary is missing: run npm install (or npm ci)" >&2
  exit 1
fi
exec "$binary" "$@"
