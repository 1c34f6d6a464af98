#!/usr/bin/env bash
# Makes the demo widget show everything: every module on, a live survey and two announcements,
# through the management API of the running app. Called by scripts/run.sh once per demo
# workspace (it leaves .trackelio/demo-setup.done); run it again by deleting that file.
#   scripts/demo-setup.sh http://localhost:7071 .trackelio/demo.json
set -euo pipefail
api=$1
demo=$2
key() { sed -nE "s/.*\"$1\": *\"([^\"]+)\".*/\1/p" "$demo"; }
admin=$(key admin_key)
widget=$(key widget_id)

call() { # method, path, JSON body on stdin → prints the response body; fails on a non-2xx
  local out status
  out=$(mktemp)
  status=$(curl -sS -o "$out" -w '%{http_code}' -X "$1" "$api$2" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' --data-binary @-)
  if [ "${status:0:1}" != "2" ]; then
    echo "error: $1 $2 answered $status: $(cat "$out")" >&2
    rm -f "$out"
    exit 1
  fi
  cat "$out"
  rm -f "$out"
}
id_of() { node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8")).data.id)'; }

echo "== Demo widget: every module on, a survey and announcements"
call PATCH "/v1/widgets/$widget" >/dev/null <<'JSON'
{
  "modules": {
    "feedback": { "enabled": true, "screenshots": true, "console_capture": true, "network_capture": true },
    "nps": { "enabled": true, "frequency_days": 90 },
    "csat": { "enabled": true },
    "surveys": { "enabled": true },
    "messenger": { "enabled": true },
    "announcements": { "enabled": true }
  },
  "theme": { "primary_color": "#4f46e5", "position": "bottom-right", "mode": "auto" },
  "trigger": { "type": "scroll-depth", "scroll_depth_percent": 70, "delay_seconds": 1 },
  "languages": { "default": "en", "available": ["en", "de"] },
  "texts": {
    "de": {
      "launcher": "Feedback", "title": "Feedback senden", "home_title": "Hallo!", "home_subtitle": "Wie können wir helfen?",
      "feedback_tile": "Problem oder Idee melden", "chat_tile": "Schreiben Sie uns", "submit": "Senden",
      "thanks": "Danke! Wir lesen jede Nachricht."
    }
  }
}
JSON

survey=$(call POST /v1/surveys <<'JSON' | id_of
{
  "name": "Checkout experience",
  "default_language": "en",
  "display": { "position": "bottom-right", "delay_seconds": 20, "frequency": "once" },
  "questions": [
    { "id": "reason", "type": "single_choice", "required": true,
      "title": { "en": "What brings you here today?", "de": "Was führt Sie heute zu uns?" },
      "options": [
        { "id": "buy", "label": { "en": "Buying coffee", "de": "Kaffee kaufen" } },
        { "id": "gift", "label": { "en": "Looking for a gift", "de": "Ein Geschenk suchen" } },
        { "id": "browse", "label": { "en": "Just browsing", "de": "Nur stöbern" } }
      ] },
    { "id": "ease", "type": "rating", "required": true, "min": 1, "max": 5,
      "title": { "en": "How easy was checkout?", "de": "Wie einfach war der Checkout?" } },
    { "id": "more", "type": "text", "required": false,
      "title": { "en": "Anything we could do better?", "de": "Was können wir besser machen?" } }
  ]
}
JSON
)
call POST "/v1/surveys/$survey/publish" </dev/null >/dev/null

banner=$(call POST /v1/announcements <<'JSON' | id_of
{
  "title": { "en": "Free shipping this week", "de": "Diese Woche versandkostenfrei" },
  "body": { "en": "Orders over **€20** ship free until Sunday.", "de": "Bestellungen ab **20 €** bis Sonntag versandkostenfrei." },
  "style": "banner",
  "targeting": { "attribute": "path", "operator": "starts_with", "value": "/" }
}
JSON
)
call POST "/v1/announcements/$banner/publish" </dev/null >/dev/null

club=$(call POST /v1/announcements <<'JSON' | id_of
{
  "title": { "en": "New: the Roaster's Club" },
  "body": { "en": "Subscribe and save 15% on every bag.\n\n- fresh every Monday\n- pause any time" },
  "link_url": "https://example.com/roasters-club",
  "link_label": { "en": "See the plans" },
  "style": "toast",
  "targeting": { "attribute": "path", "operator": "equals", "value": "/pricing" }
}
JSON
)
call POST "/v1/announcements/$club/publish" </dev/null >/dev/null
echo "   survey $survey, announcements $banner (every page), $club (/pricing only)"
