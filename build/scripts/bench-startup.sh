#!/usr/bin/env bash
# Start-up of the CLI against `node -e 0` in the same rounds (issue 15 goal 2): CPU-s (user+sys), wall,
# peak RSS, min/median/max.   bash build/scripts/bench-startup.sh [rounds] [ledger]
# Without a ledger it makes one: a finished job of the largest PST fixture into a temporary folder.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
rounds=${1:-7}
ledger=${2:-}
npx --no-install tsc -b tsconfig.json
if [[ -z $ledger ]]; then
  work=$(mktemp -d)
  ledger=$work/ledger.sqlite
  node build/cloudward.js migrate --source "pst:$(pwd)/../shared/fixtures/pst/pst2john_2k_outlook_qwerty1234.pst" --target "dir:$work/out" --ledger "$ledger" >/dev/null
fi
declare -A cpu wall rss
timing=$(mktemp)
trap 'rm -f "$timing"; [[ -n ${work:-} ]] && rm -rf "$work"' EXIT
names=("node -e 0" "--version" "help" "status" "report")
for ((r = 0; r < rounds; r++)); do
  for name in "${names[@]}"; do
    case $name in
      "node -e 0") cmd=(node -e 0) ;;
      --version) cmd=(node build/cloudward.js --version) ;;
      help) cmd=(node build/cloudward.js help) ;;
      status) cmd=(node build/cloudward.js status --ledger "$ledger") ;;
      report) cmd=(node build/cloudward.js report --ledger "$ledger" --format json) ;;
    esac
    /usr/bin/time -o "$timing" -f "%e %U %S %M" "${cmd[@]}" >/dev/null 2>&1
    read -r e u s m <"$timing"
    cpu[$name]+="$(echo "$u + $s" | bc) "; wall[$name]+="$e "; rss[$name]+="$((m / 1024)) "
  done
done
stats() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {printf "%s/%s/%s", a[1], a[int((NR+1)/2)], a[NR]}'; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $rounds rounds; min/median/max"
printf '%-10s %-18s %-18s %-12s\n' command CPU-s wall-s RSS-MiB
for name in "${names[@]}"; do
  printf '%-10s %-18s %-18s %-12s\n' "$name" "$(stats <<<"${cpu[$name]}")" "$(stats <<<"${wall[$name]}")" "$(stats <<<"${rss[$name]}")"
done
