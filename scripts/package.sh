#!/usr/bin/env bash
# Builds the deployable Functions app as one zip, publish/trackelio-functions.zip, from the folder
# publish/app/ (its exact content): the app published self-contained for linux-x64 with
# ReadyToRun (the Functions host needs no .NET of its own) as one composite image of the app and
# the framework — one version bubble, so the generic code they share (async state machines over the
# framework's builders, JSON metadata of our types) is compiled here rather than by the JIT on a
# cold instance's first requests — host.json at the root, and one folder
# per function with its function.json, generated from the app's route table by its own
# `functions` command. Each zip entry keeps its Unix mode, so Trackelio.Functions stays executable.
#
#   scripts/package.sh            build the zip (skipped while it is current: same inputs)
#   scripts/package.sh --force    build it even so
#   scripts/package.sh --smoke    then unzip it and run it as the Functions host does (a test)
set -euo pipefail
cd "$(dirname "$0")/.."

force=false
smoke=false
for arg in "$@"; do
  case "$arg" in
    --force) force=true ;;
    --smoke) smoke=true ;;
    *) echo "usage: scripts/package.sh [--force] [--smoke]" >&2; exit 2 ;;
  esac
done

scripts/setup.sh
dotnet build scripts/packaging -c Release --no-restore --nologo --verbosity quiet
packaging() { dotnet scripts/packaging/bin/Release/net10.0/Trackelio.Packaging.dll "$@"; }

zip=publish/trackelio-functions.zip
inputs=$(packaging inputs-hash .)
if ! $force && [ -f "$zip" ] && [ -f "$zip.inputs" ] && [ "$(cat "$zip.inputs")" = "$inputs" ]; then
  echo "== $zip is up to date"
else
  rm -rf publish/app "$zip" "$zip.inputs"
  echo "== dotnet publish (self-contained linux-x64, ReadyToRun composite; a few minutes)"
  dotnet publish Trackelio.Functions -c Release -r linux-x64 --self-contained -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true \
    -o publish/app --nologo --verbosity quiet
  cp host.json publish/app/
  publish/app/Trackelio.Functions functions --out publish/app
  echo "== zip"
  packaging zip publish/app "$zip"
  echo "$inputs" >"$zip.inputs"
fi

if $smoke; then
  echo "== smoke test: the zip unpacked and started as the Functions host starts it"
  dotnet test Trackelio.Functions.Tests -c Release --nologo --filter "FullyQualifiedName~Trackelio.Functions.Tests.Hosting.PackageSmokeTests"
fi
echo "Packaged the Functions app: $zip (unpacked in publish/app/)"
