#!/usr/bin/env bash
# The request fuzzer on its own: seeded mutations of valid requests to both APIs, against the
# app on a fresh Azurite; any 5xx prints the case and the command that replays it.
#   scripts/fuzz.sh [--seed N] [--count M]     (defaults: seed 1, 5000 cases)
set -euo pipefail
cd "$(dirname "$0")/.."
seed=1
count=5000
while [ $# -gt 0 ]; do
  case "$1" in
    --seed) seed="$2"; shift 2 ;;
    --count) count="$2"; shift 2 ;;
    *) echo "usage: scripts/fuzz.sh [--seed N] [--count M]" >&2; exit 2 ;;
  esac
done
scripts/setup.sh
dotnet build Trackelio.sln -c Release --no-restore --nologo --verbosity quiet
TRACKELIO_FUZZ_SEED="$seed" TRACKELIO_FUZZ_COUNT="$count" \
  dotnet test Trackelio.sln -c Release --no-build --nologo --filter "FullyQualifiedName~Hardening.FuzzTests" --logger "console;verbosity=detailed"
