#!/usr/bin/env bash
# Set-up shared by `npm start`, `npm test` and .ci/run: the Debian packages that are missing, then
# `npm ci` when node_modules is missing or older than the lock file. Never downloads Electron's binary.
#   setup.sh app    what building and running needs (keytar compiles against libsecret)
#   setup.sh test   plus the real test peers: keyring, Dovecot, readpst/pffexport, Chromium, dnsmasq, openssl
#   CLOUDWARD_SETUP_SYSTEM_ONLY=1 skips npm (.ci/run runs its own `npm ci`)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
mode=${1:-app}

say() { printf 'cloudward setup: %s\n' "$*" >&2; }

packages=(libsecret-1-dev python3 make g++)
if [[ $mode == test ]]; then
  packages+=(dbus gnome-keyring dovecot-imapd pst-utils pff-tools chromium openssl dnsmasq-base)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if (( ${#missing[@]} > 0 )); then
  if [[ $(id -u) -eq 0 ]]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo -n); else sudo=(); fi
  if [[ $(id -u) -eq 0 || ${#sudo[@]} -gt 0 ]]; then
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # apt may be busy for a moment (another install, unattended upgrades): retry a few times.
    for attempt in 1 2 3 4 5; do
      if "${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then break; fi
      [[ $attempt == 5 ]] && { say "apt-get install failed"; exit 1; }
      sleep 5
    done
  else
    say "missing Debian packages (install them as root): ${missing[*]}; tests that need them will say they were skipped"
  fi
fi

[[ ${CLOUDWARD_SETUP_SYSTEM_ONLY:-} == 1 ]] && exit 0

installed=node_modules/.package-lock.json
if [[ ! -f $installed || package-lock.json -nt $installed || package.json -nt $installed ]]; then
  say "installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
  touch "$installed"
fi
