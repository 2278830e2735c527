#!/bin/sh
# Rebuilds the benchmark programs (committed .wasm, so running the benchmarks needs no compiler).
# Needs Debian's clang, lld and wasi-libc: apt-get install -y clang lld wasi-libc libclang-rt-dev-wasm32
set -eu
cd "$(dirname "$0")"
for source in *.c; do
  clang --target=wasm32-wasi -O2 -Wl,--strip-debug -o "${source%.c}.wasm" "$source"
done
ls -l ./*.wasm
