#!/usr/bin/env bash
# npm run bench: every benchmark (not tests: timings on a noisy machine are reported, not asserted),
# each writing its own section of BENCHMARKS.md. Peers run on loopback, started by the benchmarks.
#   npm run bench            all of them
#   npm run bench -- pst     only those whose name matches
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bash build/scripts/setup.sh test
npx --no-install tsc -b tsconfig.json
only=${1:-}
run() {
  local name=$1; shift
  [[ -n $only && $name != *"$only"* ]] && return 0
  echo "== bench: $name" >&2
  "$@"
}
run foundation npx --no-install tsx test/bench/foundation/bench-eml-dir.ts 10000 5
run foundation-ram npx --no-install tsx test/bench/foundation/bench-eml-dir.ts 10000 5 /dev/shm
run pst node --expose-gc node_modules/.bin/tsx test/bench/pst/bench-pst.ts 200
run pst-fuzz npx --no-install tsx test/bench/pst/fuzz-pst.ts 10000 1
run imap npx --no-install vitest run --config test/bench/imap/vitest.config.ts
run ews npx --no-install vitest run --config test/bench/ews/vitest.config.ts
