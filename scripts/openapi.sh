#!/usr/bin/env bash
# Regenerates openapi/trackelio.json from the app (the document GET /v1/openapi.json serves)
# and lints it. The test suite fails while the file and the app disagree.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
dotnet build Trackelio.sln -c Release --no-restore --nologo --verbosity quiet
TRACKELIO_WRITE_OPENAPI=1 dotnet test Trackelio.sln -c Release --no-build --nologo \
  --filter "FullyQualifiedName~OpenApiTests.The_committed_document_is_the_one_generated_from_the_functions_and_the_one_served" >/dev/null || true
dotnet build Trackelio.sln -c Release --no-restore --nologo --verbosity quiet  # the app serves the document it embeds
npx --no-install redocly lint --format=summary openapi/trackelio.json
echo "openapi/trackelio.json regenerated"
