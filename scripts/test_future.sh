#!/usr/bin/env bash
# Runs every Rust test binary with the clock set years ahead (Debian's
# faketime): no test may depend on the day it runs. The binaries are built
# at today's date first, so cargo's freshness checks are not fooled.
set -euo pipefail
cd "$(dirname "$0")/.."
AHEAD="${AHEAD:-+5y}"
binaries() {
  cargo test --no-run --message-format=json "$@" 2>/dev/null \
    | python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["profile"]["test"]:
        print(m["manifest_path"].rsplit("/", 1)[0] + "\t" + m["executable"])'
}
{
  binaries -p domain -p i18n -p store -p app -p devtools --features app/ssr
  binaries -p server
} | sort -u > target/test-future-binaries.txt
# An empty list would "pass" having run nothing: each of these crates has tests.
count=$(wc -l < target/test-future-binaries.txt)
if [ "$count" -lt 6 ]; then
  echo "only $count test binaries were found (a build failed?): nothing to run ahead" >&2
  exit 1
fi
failed=()
while IFS=$'\t' read -r crate binary; do
  echo "== $(basename "$binary") at $(faketime -f "$AHEAD" date -u +%F), in ${crate#"$PWD"/}"
  # Tests run from their crate's folder, as cargo runs them; every binary
  # runs, and the failures are listed at the end.
  (cd "$crate" && faketime -f "$AHEAD" "$binary" --test-threads=1) || failed+=("$(basename "$binary")")
done < target/test-future-binaries.txt
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED with the clock at $AHEAD: ${failed[*]}" >&2
  exit 1
fi
echo "all $count test binaries passed with the clock at $AHEAD"
