#!/usr/bin/env bash
# The crate lines of docs/ARCHITECTURE.md, checked on what cargo resolves:
# each crate may link only what its layer allows. Prints one line per rule
# and fails on the first one broken.
set -euo pipefail
cd "$(dirname "$0")/.."

# The crates (own and third-party) that `cargo tree` resolves for a package.
# A failure of cargo (no registry data yet, a broken manifest) fails the
# check: it must never pass for want of looking.
linked() {
  local tree
  tree=$(cargo tree -e normal --prefix none "$@") || { echo "FAIL: cargo tree $* did not run" >&2; exit 1; }
  [ -n "$tree" ] || { echo "FAIL: cargo tree $* listed nothing" >&2; exit 1; }
  printf '%s\n' "$tree" | awk '{print $1}' | sort -u
}

refuse() {
  local what="$1" forbidden="$2"; shift 2
  local crates found
  crates=$(linked "$@")
  found=$(printf '%s\n' "$crates" | grep -xE "$forbidden" || true)
  if [ -n "$found" ]; then
    echo "FAIL: $what links: $(echo $found)" >&2
    exit 1
  fi
  echo "ok: $what"
}

refuse "domain: no database, web framework, runtime or randomness" \
  'sqlx.*|leptos.*|axum.*|tokio|hyper|tower.*|fastrand' -p domain --features openapi
refuse "domain builds for the browser without server crates" \
  'sqlx.*|axum.*|tokio|utoipa' -p domain --target wasm32-unknown-unknown
refuse "i18n: words and dates only, no database, web framework or runtime" \
  'sqlx.*|leptos.*|axum.*|tokio|hyper|tower.*|store' -p i18n
refuse "store: no Leptos, no axum or HTTP server (tower-sessions brings only its axum-core traits)" \
  'leptos.*|axum|axum-extra|server_fn.*|hyper' -p store
refuse "store-rows: plain row shapes: no database, runtime or layer above" \
  'sqlx.*|tokio|store|store-postgres|domain|leptos.*|axum.*|hyper' -p store-rows
refuse "store-postgres: PostgreSQL's SQL only: no store above it, no Leptos, axum or HTTP server" \
  'store|leptos.*|axum|axum-extra|server_fn.*|hyper' -p store-postgres
refuse "app without ssr: no store, no database" \
  'store|sqlx.*|axum.*' -p app
refuse "frontend (the wasm bundle): no store, database or server crates" \
  'store|sqlx.*|axum.*|tokio|server' -p frontend --target wasm32-unknown-unknown
refuse "accord (served binary): no benchmark generator, progress bars or dev tools" \
  'fastrand|indicatif|devtools' -p server
echo "layers: all rules hold"
