#!/usr/bin/env bash
# The browser bundle's size budget (docs/PERFORMANCE.md): the release wasm,
# gzipped as it is served, stays within 150 KiB. Run where the release is
# built (`make release`, hence `make bench`), so a bundle that grows past it
# never reaches a benchmark or a server unnoticed.
set -euo pipefail

max_bytes="${WASM_GZIP_MAX_BYTES:-153600}"
pkg="${1:-target/site/pkg}"

shopt -s nullglob
bundles=("$pkg"/*.wasm)
if [ "${#bundles[@]}" -eq 0 ]; then
  echo "check_bundle_size: no .wasm in $pkg (build the release first)" >&2
  exit 1
fi
status=0
for wasm in "${bundles[@]}"; do
  gzipped=$(gzip -9 -c "$wasm" | wc -c)
  raw=$(wc -c < "$wasm")
  if [ "$gzipped" -gt "$max_bytes" ]; then
    echo "FAIL: $wasm is $gzipped bytes gzipped ($raw raw), over the budget of $max_bytes" >&2
    status=1
  else
    echo "ok: $wasm is $gzipped bytes gzipped ($raw raw), within the budget of $max_bytes"
  fi
done
exit "$status"
