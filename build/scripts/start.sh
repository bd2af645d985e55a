#!/usr/bin/env bash
# npm start: set up what is missing, build, then run the desktop app, or serve the UI in browser
# mode when there is no Electron binary (this script never downloads one). Safe to run repeatedly;
# a second run with nothing changed only re-checks and starts.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export ELECTRON_SKIP_BINARY_DOWNLOAD=1

say() { printf 'cloudward: %s\n' "$*" >&2; }

# 1. Debian packages and npm dependencies, when missing.
bash build/scripts/setup.sh app

# 2. TypeScript: tsc -b is incremental. Errors are shown but do not stop browser mode.
if ! npx --no-install tsc -b tsconfig.json; then
  say "TypeScript build reported errors (above); continuing with what was built."
fi

# 3. Renderer: rebuild only when its sources (or the contract it uses) changed since the last build.
ui_index=build/out/renderer/index.html
if [[ ! -f $ui_index || -n $(find renderer electron/contract package-lock.json -newer "$ui_index" -type f -print -quit) ]]; then
  say "building the UI (vite build)…"
  npx --no-install vite build --config renderer/vite.config.ts --logLevel warn
fi

# 4. Run: Electron when its binary is present, otherwise browser mode (cloudward ui) on loopback.
if [[ -d node_modules/electron/dist && -f node_modules/electron/path.txt ]]; then
  say "starting the desktop app"
  exec node_modules/.bin/electron . "$@"
fi
# Browser mode: the UI and the job service on 127.0.0.1, behind a per-run token (printed in the URL).
exec node build/cloudward.js ui --port "${CLOUDWARD_UI_PORT:-5178}" "$@"
