#!/usr/bin/env bash
# Runs the service locally: Azurite (data under .trackelio/azurite) and the Functions app (an
# isolated worker) on http://localhost:7071 — under `func start` where Azure Functions Core Tools
# is on PATH, otherwise under the dev host (scripts/devhost, which runs the worker as the Functions
# host does; TRACKELIO_HOST=func or =devhost picks one). Creates a demo workspace and widget once
# and writes their keys to .trackelio/demo.json. Mail goes to a development mail server with a web
# inbox (MailDev, http://localhost:1080) unless Trackelio__Email__SmtpHost names your relay. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

host=${TRACKELIO_HOST:-}
if [ -z "$host" ]; then
  if command -v func >/dev/null 2>&1; then host=func; else host=devhost; fi
fi
if [ "$host" = "func" ] && ! command -v func >/dev/null 2>&1; then
  echo "error: TRACKELIO_HOST=func needs Azure Functions Core Tools ('func') on PATH." >&2
  exit 1
fi

scripts/setup.sh
echo "== dotnet build"
dotnet build Trackelio.Functions -c Release --no-restore --nologo --verbosity quiet
appdir="$root/Trackelio.Functions/bin/Release/net10.0"
app="$appdir/Trackelio.Functions.dll"
if [ "$host" = "devhost" ]; then
  dotnet build scripts/devhost -c Release --no-restore --nologo --verbosity quiet
fi

mkdir -p .trackelio/azurite
pids=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_for() { # port, what, pid
  for _ in $(seq 1 120); do
    port_open "$1" && return 0
    kill -0 "$3" 2>/dev/null || { echo "error: $2 exited; see .trackelio/$2.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "error: $2 did not start listening on port $1" >&2; exit 1
}

for port in 10000 10001 10002 7071; do
  if port_open "$port"; then
    echo "error: port $port is in use. Stop whatever listens there (another Azurite or 'func start'?) and try again." >&2
    exit 1
  fi
done

if port_open 3000; then
  echo "error: port 3000 (the demo site) is in use. Stop whatever listens there and try again." >&2
  exit 1
fi

# Outgoing mail: to your relay when Trackelio__Email__SmtpHost is set (with the other Trackelio__Email__*
# settings, as app settings in Azure), else to a development mail server with a web inbox (MailDev).
inbox=""
if [ -z "${Trackelio__Email__SmtpHost:-}" ]; then
  for port in 1025 1080; do
    if port_open "$port"; then
      echo "error: port $port (the development mail server) is in use. Stop whatever listens there, or set Trackelio__Email__SmtpHost to use your own relay." >&2
      exit 1
    fi
  done
  echo "== MailDev (development mail server: SMTP 127.0.0.1:1025, inbox http://localhost:1080)"
  node node_modules/maildev/dist/bin/maildev.js --smtp 1025 --ip 127.0.0.1 --web 1080 --web-ip 127.0.0.1 >.trackelio/maildev.log 2>&1 &
  pids+=($!)
  wait_for 1025 maildev "$!"
  export Trackelio__Email__SmtpHost=127.0.0.1 Trackelio__Email__SmtpPort=1025 Trackelio__Email__Security=None
  inbox="http://localhost:1080"
fi
export Trackelio__Email__From="${Trackelio__Email__From:-Trackelio <trackelio@localhost>}"
export Trackelio__Email__AppUrl="${Trackelio__Email__AppUrl:-http://localhost:7071/app}"
export Trackelio__Email__ApiUrl="${Trackelio__Email__ApiUrl:-http://localhost:7071}"

echo "== Azurite (data in .trackelio/azurite)"
# --skipApiVersionCheck: Azure.Storage.Blobs 12.30 speaks service version 2026-10-06, newer than Azurite 3.37
# knows; without the flag Azurite refuses every blob call.
node node_modules/azurite/dist/src/azurite.js --location .trackelio/azurite --silent --skipApiVersionCheck --disableTelemetry \
  --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 >.trackelio/azurite.log 2>&1 &
pids+=($!)
wait_for 10002 azurite "$!"
export AzureWebJobsStorage="UseDevelopmentStorage=true"

bootstrap() {
  echo "== Creating the demo workspace"
  dotnet "$app" bootstrap --workspace "Demo workspace" --owner-email demo@trackelio.local --owner-name "Demo Owner" \
    --widget-name "Demo site" --origin "http://localhost:3000" --origin "http://127.0.0.1:3000" >.trackelio/demo.json.tmp
  mv .trackelio/demo.json.tmp .trackelio/demo.json
}
[ -s .trackelio/demo.json ] || bootstrap

# The app's settings for local runs (func reads local.settings.json in the app folder; so does the dev host).
cp local.settings.sample.json "$appdir/local.settings.json"
if [ "$host" = "func" ]; then
  echo "== func start (Azure Functions Core Tools)"
  (cd "$appdir" && exec func host start --port 7071) >.trackelio/app.log 2>&1 &
else
  echo "== Trackelio under the dev host (scripts/devhost)"
  dotnet scripts/devhost/bin/Release/net10.0/Trackelio.DevHost.dll --app "$appdir" --port 7071 >.trackelio/app.log 2>&1 &
fi
pids+=($!)
wait_for 7071 app "$!"

key() { sed -nE "s/.*\"$1\": *\"([^\"]+)\".*/\1/p" .trackelio/demo.json; }
status=$(curl -s -o /dev/null -w '%{http_code}' "http://localhost:7071/v1/widget/config?key=$(key project_key)" || true)
if [ "$status" = "401" ]; then
  # The keys in demo.json are not in this storage (its data was removed): make new ones.
  bootstrap
fi

# The demo widget shows every module; the demo page embeds it from a second origin.
if [ ! -f .trackelio/demo-setup.done ] || [ .trackelio/demo.json -nt .trackelio/demo-setup.done ]; then
  scripts/demo-setup.sh http://localhost:7071 .trackelio/demo.json
  touch .trackelio/demo-setup.done
fi
# A ready sign-in for the demo owner: a link mailed through the app (read back from MailDev's inbox when it is MailDev).
owner_email=$(sed -nE 's/.*"owner_email": *"([^"]+)".*/\1/p' .trackelio/demo.json)
signin="a sign-in link was mailed to $owner_email"
curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -d "{\"email\":\"$owner_email\"}" http://localhost:7071/v1/auth/sign-in || true
if [ -n "$inbox" ]; then
  for _ in $(seq 1 40); do
    link=$(curl -s "http://localhost:1080/api/email" | node -e '
      let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
        const mails = JSON.parse(s || "[]").filter(m => (m.to || []).some(t => t.address === process.argv[1]) && /sign-in#token=/.test(m.text || ""));
        const last = mails[mails.length - 1];
        if (last) process.stdout.write(last.text.match(/https?:\/\/\S+\/sign-in#token=\S+/)[0]);
      });' "$owner_email" 2>/dev/null || true)
    [ -n "$link" ] && { signin="$link   (once, 15 min)"; break; }
    sleep 0.5
  done
fi

echo "== Demo site"
node scripts/demo-site.mjs --port 3000 --host 127.0.0.1 --api http://localhost:7071 --key "$(key project_key)" >.trackelio/demo-site.log 2>&1 &
pids+=($!)
wait_for 3000 demo-site "$!"

cat <<TXT

Trackelio is running on http://localhost:7071 under $host (storage: Azurite on 127.0.0.1:10000-10002)

  Workspace      $(key workspace_id)
  Widget         $(key widget_id)
  Project key    $(key project_key)      (public, for the widget)
  Admin API key  $(key admin_key)      (secret, for the management API)

  Widget config: http://localhost:7071/v1/widget/config?key=$(key project_key)
  Demo page:     http://127.0.0.1:3000/     (a shop embedding the widget; /pricing has its own announcement)
  Dashboard:     http://localhost:7071/app/     sign in: $signin
  Mail:          ${inbox:-sent through $Trackelio__Email__SmtpHost:${Trackelio__Email__SmtpPort:-587}}     (invitations and notifications; a web inbox when it is MailDev)
  Keys saved in: .trackelio/demo.json     Logs: .trackelio/app.log, .trackelio/azurite.log

Press Ctrl-C to stop.
TXT
wait -n "${pids[@]}"
echo "A process exited; stopping. See .trackelio/app.log and .trackelio/azurite.log." >&2
exit 1
