#!/usr/bin/env bash
# Runs every test. Integration tests start their own Azurite (from node_modules) on free
# loopback ports; nothing needs to be running first.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh

# The widget's browser tests drive Debian's Chromium (Playwright's own browser download cannot
# work here); install it when it is missing.
if [ ! -x /usr/bin/chromium ]; then
  echo "== apt-get install chromium (for the widget's browser tests)"
  sudo=""
  [ "$(id -u)" = "0" ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
dotnet build Trackelio.sln -c Release --no-restore --nologo --verbosity quiet

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# The tests record every response the app gives here; they are checked against the document below.
rm -rf .trackelio/contract
dotnet test Trackelio.sln -c Release --no-build --nologo "$@" 2>&1 | tee "$log" || status=$?

# Every response the tests received must be one the OpenAPI document describes (declared
# status, body matching the schema); a filtered run checks what it recorded.
if compgen -G ".trackelio/contract/*.jsonl" >/dev/null; then
  node scripts/contract-check.mjs openapi/trackelio.json .trackelio/contract/*.jsonl || status=1
fi

# One plain closing line: "N passed, N failed".
summary=$(grep -E '(Passed|Failed)!' "$log" | tail -n 1 || true)
passed=$(sed -nE 's/.*Passed: *([0-9]+).*/\1/p' <<<"$summary")
failed=$(sed -nE 's/.*Failed: *([0-9]+).*/\1/p' <<<"$summary")
skipped=$(sed -nE 's/.*Skipped: *([0-9]+).*/\1/p' <<<"$summary")
if [ -z "$passed" ]; then
  echo "tests: no test summary found (the run failed before tests ran)"
  exit 1
fi
echo "tests: ${passed} passed, ${failed:-0} failed, ${skipped:-0} skipped"
if [ "${skipped:-0}" != "0" ]; then
  echo "error: tests were skipped; a test never skips for a missing dependency" >&2
  exit 1
fi
exit "$status"
