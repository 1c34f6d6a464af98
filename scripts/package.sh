#!/usr/bin/env bash
# Builds the deployable Functions app into DIR (default: publish/): the app published
# self-contained for linux-x64 (so the Functions host needs no .NET of its own), host.json,
# and one function folder per endpoint generated from the app's route table.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-publish}

scripts/setup.sh
rm -rf "$out"
dotnet publish Trackelio.Functions -c Release -r linux-x64 --self-contained -p:PublishReadyToRun=true -o "$out" --nologo --verbosity quiet
cp host.json "$out/"
"$out/Trackelio.Functions" functions --out "$out"
echo "Packaged the Functions app in $out"
