#!/usr/bin/env bash
# Speed and memory measurements, printed as ratios measured side by side in one run (never
# timed unit tests). Starts its own Azurite and runs the app under the dev host (scripts/devhost),
# beside the bare isolated worker under the same host; free loopback ports.
#   BENCH_ONLY=config,coldstart scripts/bench.sh   only those sections
#   (submit, upload, management, dashboard, drain, config, history, surveys, coldstart)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
if ! command -v wrk >/dev/null 2>&1; then
  echo "== installing wrk (Debian package) for the config measurement"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk; else sudo apt-get update -qq && sudo apt-get install -y -qq wrk; fi
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "== installing chromium (Debian package) for the dashboard's first-load measurement"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; else sudo apt-get update -qq && sudo apt-get install -y -qq chromium; fi
fi
# The app, the dev host and the bare worker (scripts/devhost/BareWorker), each in its own build folder.
dotnet build scripts/bench/Trackelio.Bench.csproj -c Release --nologo --verbosity quiet
# Cold start: both workers published the same way, each into its own folder. (scripts/package.sh still
# packages the custom-handler layout, which the isolated worker no longer has; once it packages the worker,
# publish/app is the one to measure.)
if [ -z "${BENCH_ONLY:-}" ] || [[ ",$BENCH_ONLY," == *",coldstart,"* ]]; then
  for project in Trackelio.Functions:bench-app scripts/devhost/BareWorker:bench-bare; do
    rm -rf "publish/${project#*:}"
    dotnet publish "${project%%:*}" -c Release -r linux-x64 -p:PublishReadyToRun=true -o "publish/${project#*:}" --nologo --verbosity quiet
  done
fi
dotnet scripts/bench/bin/Release/net10.0/Trackelio.Bench.dll "$(pwd)"
