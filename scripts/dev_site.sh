#!/usr/bin/env bash
# `make run`'s build: the development server binary and the site it serves,
# built with cargo and the wasm-bindgen CLI alone, then `accord serve`.
#
# Why not `cargo leptos serve`: compiling cargo-leptos itself (it links swc
# and lightningcss) took 16 of a fresh machine's first 26 minutes, and a
# development build uses none of what it adds over these steps (no wasm-opt,
# no minifying, no hashed names). Release builds, `make test-e2e` and the
# benchmarks still use cargo-leptos (docs/ARCHITECTURE.md, "Toolchain").
#
# The environment is the one cargo-leptos 0.3.10 gives its own debug builds
# (`Project::to_envs`): LEPTOS_OUTPUT_NAME is compiled into Leptos (it names
# the wasm file the page loads) and RUSTFLAGS is part of every crate's
# fingerprint, so both tools share target/ without rebuilding each other's
# work. Usage: scripts/dev_site.sh build | serve [accord serve arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

export LEPTOS_OUTPUT_NAME=accord
export LEPTOS_SITE_ROOT=target/site
export LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
export LEPTOS_RELOAD_PORT=3001
export LEPTOS_LIB_DIR=frontend
export LEPTOS_BIN_DIR=server
export LEPTOS_JS_MINIFY=false
export RUSTFLAGS="--cfg erase_components"

pkg="$LEPTOS_SITE_ROOT/$LEPTOS_SITE_PKG_DIR"

# A hash.txt beside the binary (left by a cargo-leptos build) would tell the
# server to ask for content-named bundle files, which this build does not
# write: without it the server asks for the plain names.
build_server() {
  cargo build --package=server --bin=accord --no-default-features --features=ssr
  rm -f target/debug/hash.txt
}

build_bundle() {
  cargo build --package=frontend --lib --target-dir=target/front \
    --target=wasm32-unknown-unknown --no-default-features
}

# wasm-bindgen writes accord.js and accord_bg.wasm; Leptos built with
# LEPTOS_OUTPUT_NAME asks for accord.wasm (cargo-leptos renames it too).
# The stylesheet is plain CSS that Chromium, Firefox and Safari read as it
# is; cargo-leptos's lightningcss pass only matters for a release.
assemble_site() {
  mkdir -p "$pkg"
  # The server prefers a .gz beside a file; one of an older build would be
  # served instead of this build's file.
  rm -f "$pkg/accord.js.gz" "$pkg/accord.wasm.gz" "$pkg/accord.css.gz"
  wasm-bindgen --target=web --out-name=accord --out-dir="$pkg" \
    target/front/wasm32-unknown-unknown/debug/frontend.wasm
  mv -f "$pkg/accord_bg.wasm" "$pkg/accord.wasm"
  cp -f style/main.css "$pkg/accord.css"
  cp -rf public/. "$LEPTOS_SITE_ROOT/"
}

case "${1:-}" in
  build-rust)
    build_bundle
    build_server
    ;;
  build)
    build_bundle
    build_server
    assemble_site
    ;;
  assemble)
    assemble_site
    ;;
  serve)
    shift
    exec target/debug/accord serve "$@"
    ;;
  *)
    echo "usage: $0 build | build-rust | assemble | serve [accord serve arguments]" >&2
    exit 2
    ;;
esac
