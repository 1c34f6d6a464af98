#!/usr/bin/env bash
# Installs what building, running and testing need, from the project's own files:
# npm packages (Azurite, ua-parser rules) from package-lock.json and the NuGet restore.
# Safe to run again; does the work only when something changed.
set -euo pipefail
cd "$(dirname "$0")/.."

need() {
  command -v "$1" >/dev/null 2>&1 || { echo "error: '$1' is not installed. $2" >&2; exit 1; }
}
need dotnet "Install the .NET 10 SDK (https://dot.net)."
need node "Install Node.js 20 or newer."
need npm "Install npm (it comes with Node.js)."

stamp=node_modules/.package-lock.stamp
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ ! -f node_modules/azurite/dist/src/azurite.js ]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi

echo "== dotnet restore"
dotnet restore Trackelio.sln --verbosity quiet
