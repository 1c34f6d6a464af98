#!/usr/bin/env bash
# Speed and memory measurements, printed as ratios measured side by side in one run (never
# timed unit tests). Starts its own Azurite and app processes on free loopback ports.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
if ! command -v wrk >/dev/null 2>&1; then
  echo "== installing wrk (Debian package) for the config measurement"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk; else sudo apt-get update -qq && sudo apt-get install -y -qq wrk; fi
fi
dotnet build Trackelio.Functions -c Release --no-restore --nologo --verbosity quiet
dotnet build scripts/bench/Trackelio.Bench.csproj -c Release --nologo --verbosity quiet
# Cold start: the packaged app (publish/app, the zip's content) beside a bare app published the same way.
if [ -z "${BENCH_ONLY:-}" ] || [[ ",$BENCH_ONLY," == *",coldstart,"* ]]; then
  scripts/package.sh
  dotnet publish scripts/bench/BareApp -c Release -r linux-x64 --self-contained -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true \
    -o publish/bench-bare --nologo --verbosity quiet
fi
dotnet scripts/bench/bin/Release/net10.0/Trackelio.Bench.dll "$(pwd)"
