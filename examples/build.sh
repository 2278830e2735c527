#!/usr/bin/env bash
# Rebuilds every example's .wasm from its source (the built files are committed, so this is only needed after an edit).
#   C:    Debian clang + wasi-libc    (apt-get install -y clang lld wasi-libc libclang-rt-dev-wasm32)
#   WAT:  wat2wasm from Debian's wabt (or the npm package wabt: npx wat2wasm)
#   Rust: Debian rustc for wasm32-wasi (apt-get install -y --no-install-recommends rustc libstd-rust-dev-wasm32); skipped when missing
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# -g keeps DWARF for source-level debugging; -O0 keeps every variable visible. Each source is compiled in its
# own folder with -fdebug-prefix-map, so the DWARF names it relative to its module: a copy of this workspace
# anywhere finds its own sources.
cc() {
  echo "clang  $1 -> $2"
  (cd "$(dirname "$1")" && clang --target=wasm32-wasi -g -O0 "-fdebug-prefix-map=$(pwd)=." "$(basename "$1")" -o "$(basename "$2")")
}
cc hello/hello.c        hello/hello.wasm
cc echo/echo.c          echo/echo.wasm
cc files/files.c        files/files.wasm
cc args-env-cwd/args.c  args-env-cwd/args.wasm
cc bug/average.c        bug/average.wasm
cc loop/spin.c          loop/spin.wasm

echo "wat2wasm wat/countdown.wat -> wat/countdown.wasm"
if command -v wat2wasm >/dev/null; then
  wat2wasm --debug-names wat/countdown.wat -o wat/countdown.wasm
else
  npx --no-install wat2wasm --debug-names wat/countdown.wat -o wat/countdown.wasm
fi

RUSTC=/usr/bin/rustc
if [ -x "$RUSTC" ] && [ -d /usr/lib/rustlib/wasm32-wasi ]; then
  # Rust's standard library brings megabytes of DWARF; strip it to keep the committed file small
  # (build with -g and without -C strip to debug the Rust source).
  echo "rustc  rust-hello/hello.rs -> rust-hello/hello.wasm"
  "$RUSTC" --target wasm32-wasi -C strip=debuginfo "--remap-path-prefix=$(pwd)=." rust-hello/hello.rs -o rust-hello/hello.wasm
else
  echo "rustc for wasm32-wasi not found: skipping rust-hello (apt-get install -y --no-install-recommends rustc libstd-rust-dev-wasm32)"
fi
