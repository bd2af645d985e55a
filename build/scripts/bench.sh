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
# imapsync's Perl modules (../shared/tools/imapsync/SOURCE.md): the bench's peer only, never CI's.
imapsync_perl=(libdigest-hmac-perl libmail-imapclient-perl libio-socket-inet6-perl libio-socket-ssl-perl libterm-readkey-perl
  libfile-copy-recursive-perl libio-tee-perl libunicode-string-perl libreadonly-perl libsys-meminfo-perl libregexp-common-perl
  libfile-tail-perl libencode-imaputf7-perl time)
if [[ -z $only || imapsync == *"$only"* ]]; then
  imapsync_missing=()
  for package in "${imapsync_perl[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || imapsync_missing+=("$package")
  done
  if (( ${#imapsync_missing[@]} > 0 )); then
    if [[ $(id -u) -eq 0 ]]; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${imapsync_missing[@]}" >/dev/null \
        || echo "bench: imapsync's Perl modules could not be installed; the imapsync bench will say it was skipped" >&2
    else
      echo "bench: install imapsync's Perl modules as root: apt-get install ${imapsync_missing[*]}" >&2
    fi
  fi
fi
run() {
  local name=$1; shift
  [[ -n $only && $name != *"$only"* ]] && return 0
  echo "== bench: $name" >&2
  "$@"
}
run foundation npx --no-install tsx test/bench/foundation/bench-eml-dir.ts 10000 5
run foundation-ram npx --no-install tsx test/bench/foundation/bench-eml-dir.ts 10000 5 /dev/shm
run pst node --expose-gc node_modules/.bin/tsx test/bench/pst/bench-pst.ts 200
run pst-cpu npx --no-install tsx test/bench/pst/bench-pst-cpu.ts 3
run pst-fuzz npx --no-install tsx test/bench/pst/fuzz-pst.ts 10000 1
run imap npx --no-install vitest run --config test/bench/imap/vitest.config.ts
run imapsync npx --no-install tsx test/bench/imap/bench-imapsync.ts 5000 3
run ews npx --no-install vitest run --config test/bench/ews/vitest.config.ts
