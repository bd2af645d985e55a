#!/usr/bin/env bash
# npm test: the whole suite on a fresh machine, set-up included. Typecheck, lint, then vitest with a
# real keyring (gnome-keyring in a private D-Bus session) so the keychain tests run for real.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bash build/scripts/setup.sh test

echo "== typecheck" >&2
npx --no-install tsc -b tsconfig.json
npx --no-install tsc -p test/tsconfig.json
echo "== lint" >&2
npx --no-install eslint .
echo "== tests" >&2
export CLOUDWARD_TEST_SKIP_BUILD=1
if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
  keyring_home=$(mktemp -d)
  # The keyring files go to a throw-away XDG_DATA_HOME; the login keyring is created unlocked.
  exec env XDG_DATA_HOME="$keyring_home" dbus-run-session -- bash -c '
    printf "cloudward-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
    CLOUDWARD_TEST_KEYRING=1 exec npx --no-install vitest run "$@"' bash "$@" 2>&1
fi
echo "gnome-keyring or dbus-run-session missing: keychain tests will be skipped" >&2
exec npx --no-install vitest run "$@"
