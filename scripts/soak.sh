#!/usr/bin/env bash
# Soak (not in CI): a steady mix of config reads, submits, uploads, NPS and messenger traffic
# against the app and Azurite as processes on loopback, at each rate for a fixed time; prints
# requests, errors by status, p50/p99, then drains and proves every acknowledged write stored
# exactly once (exit 1 otherwise).   scripts/soak.sh [--seconds 30] [--rates 50,100,200,400]
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
dotnet build Trackelio.Functions -c Release --no-restore --nologo --verbosity quiet
dotnet build scripts/soak/Trackelio.Soak.csproj -c Release --nologo --verbosity quiet
dotnet scripts/soak/bin/Release/net10.0/Trackelio.Soak.dll "$(pwd)" "$@"
