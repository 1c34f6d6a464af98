#!/usr/bin/env bash
# Builds the deployable Functions app as one zip, publish/trackelio-functions.zip, from the folder
# publish/app/ (its exact content): the isolated worker as Flex Consumption's `dotnet-isolated` 10.0
# runtime runs it.
#
# * Framework-dependent. The dotnet-isolated runtime brings .NET 10 (ASP.NET Core included) and
#   starts the worker as `dotnet Trackelio.Functions.dll` — worker.config.json then says
#   "defaultExecutablePath": "dotnet" (Worker SDK target _FunctionsGenerateWorkerConfig). On Flex the
#   worker may also be loaded into the platform's prestarted FunctionsNetHost (placeholder mode),
#   which loads defaultWorkerPath through the platform's hostfxr, i.e. on the platform's runtime:
#   a self-contained copy of the runtime would be 70 MB the platform never uses.
# * ReadyToRun for linux-x64: -r linux-x64 and PublishReadyToRun=true go together (a RID-less
#   ReadyToRun publish fails; the isolated-worker guide asks for both). Only the app and its
#   packages are precompiled; the framework comes precompiled with the platform's runtime.
#
# The zip's root is what the host reads: host.json, worker.config.json, functions.metadata,
# extensions.json and .azurefunctions/ (the host-side extensions), beside the app's assemblies.
# Each zip entry keeps its Unix mode.
#
#   scripts/package.sh            build the zip (skipped while it is current: same inputs)
#   scripts/package.sh --force    build it even so
#   scripts/package.sh --smoke    then unzip it and run it under the dev host (a test)
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
  echo "== dotnet publish (framework-dependent linux-x64, ReadyToRun; a few minutes)"
  # The RID-specific publish builds under obj/ and bin/…/linux-x64/, apart from the portable build
  # the tests run. No apphost: the platform starts `dotnet`, never an executable of ours.
  dotnet publish Trackelio.Functions -c Release -r linux-x64 --no-self-contained -p:PublishReadyToRun=true \
    -p:UseAppHost=false -o publish/app --nologo --verbosity quiet
  echo "== zip"
  packaging zip publish/app "$zip"
  echo "$inputs" >"$zip.inputs"
fi

if $smoke; then
  echo "== smoke test: the zip unpacked and run under the dev host"
  dotnet test Trackelio.Functions.Tests -c Release --nologo --filter "FullyQualifiedName~Trackelio.Functions.Tests.Hosting.PackageSmokeTests"
fi
echo "Packaged the Functions app: $zip (unpacked in publish/app/)"
