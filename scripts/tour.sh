#!/usr/bin/env bash
# The README's tour with real OIDC tokens: a developer asks for a model, an approver approves it,
# the developer creates an API key, calls the proxy with it, and the usage shows up in the
# control plane's usage API. Needs the default run (dotnet run --project src/AppHost), curl and
# python3. URLs: CONTROLPLANE_URL (http://localhost:5081), PROXY_URL (http://localhost:5080).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
CP="${CONTROLPLANE_URL:-http://localhost:5081}"
PROXY="${PROXY_URL:-http://localhost:5080}"
MODEL="${TOUR_MODEL:-gpt-4o-mini}"
TEAM="team-risk"   # the demo team of dev2@demo.bank; it has no subscriptions yet
export CONTROLPLANE_URL="$CP"

say()  { printf '\n\033[1m== %s\033[0m\n' "$*"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {'d': d}))" "$1"; }
api()  { # api TOKEN METHOD PATH [JSON]
  curl -sS --fail-with-body -X "$2" "$CP$3" -H "Authorization: Bearer $1" -H 'Content-Type: application/json' ${4:+-d "$4"}
}

say "Sign in (authorization code + PKCE) as the developer and as the approver"
DEV=$(python3 "$here/gateway_login.py" dev2@demo.bank)
APPROVER=$(python3 "$here/gateway_login.py" approver@demo.bank)
api "$DEV" GET /api/me | json '"%s  roles=%s  teams=%s" % (d["email"], d["roles"], [t["teamId"] for t in d["teams"]])'

say "The developer asks for $MODEL for $TEAM"
REQ=$(api "$DEV" POST /api/access-requests "{\"teamId\":\"$TEAM\",\"modelAlias\":\"$MODEL\",\"justification\":\"Risk summaries\",\"budget\":{\"monthlyTokens\":1000000,\"monthlyAmount\":50,\"currency\":\"USD\"}}")
REQ_ID=$(echo "$REQ" | json 'd["id"]')
echo "request $REQ_ID is $(echo "$REQ" | json 'd["status"]')"

say "The approver approves it (maker-checker: not their own request)"
APPROVED=$(api "$APPROVER" POST "/api/access-requests/$REQ_ID/approve" '{"limits":{"requestsPerMinute":60,"tokensPerMinute":100000}}')
SUB=$(echo "$APPROVED" | json 'd["resultSubscriptionId"]')
echo "approved → subscription $SUB"

say "The developer creates an API key (shown once)"
EXPIRES=$(python3 -c 'import datetime; print((datetime.datetime.now(datetime.timezone.utc)+datetime.timedelta(days=30)).isoformat())')
CREATED=$(api "$DEV" POST /api/keys "{\"teamId\":\"$TEAM\",\"application\":\"tour\",\"expiresAt\":\"$EXPIRES\"}")
KEY=$(echo "$CREATED" | json 'd["key"]')
KEY_ID=$(echo "$CREATED" | json 'd["details"]["keyId"]')
echo "key ${KEY:0:18}… ($KEY_ID)"

if curl -sf -o /dev/null "$PROXY/health"; then
  say "Call the proxy with the new key"
  for _ in $(seq 1 20); do   # the proxy gets the new revision within a second
    code=$(curl -s -D /tmp/tour-headers.txt -o /tmp/tour-chat.json -w '%{http_code}' "$PROXY/v1/chat/completions" -H "Authorization: Bearer $KEY" \
      -H 'Content-Type: application/json' -d "{\"model\":\"$MODEL\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}")
    [ "$code" = 200 ] && break; sleep 0.5
  done
  echo "HTTP $code: $(json 'd.get("choices",[{}])[0].get("message",{}).get("content","")' < /tmp/tour-chat.json 2>/dev/null || cat /tmp/tour-chat.json)"
  if [ "$code" != 200 ]; then echo "the proxy did not accept the new key" >&2; exit 1; fi

  say "The usage appears in the control plane's usage API"
  # The proxy spools the record and ships it over gRPC; the ledger has it within a second or two.
  REQUEST_ID=$(grep -i '^x-request-id:' /tmp/tour-headers.txt | tr -d '\r' | awk '{print $2}')
  found=0
  for _ in $(seq 1 60); do
    USAGE=$(api "$DEV" GET "/api/usage/records?teamId=$TEAM&keyId=$KEY_ID&pageSize=5")
    if echo "$USAGE" | json "any(r['requestId'] == '$REQUEST_ID' for r in d['items'])" | grep -q True; then found=1; break; fi
    sleep 0.5
  done
  echo "$USAGE" | json '"\n".join("%s %s in=%s out=%s cost=%s %s" % (r["requestId"], r["modelVersion"], r["inputTokens"], r["outputTokens"], r["cost"], r["currency"]) for r in d["items"]) or "no usage yet"'
  if [ "$found" != 1 ]; then echo "request $REQUEST_ID did not reach the control plane's ledger within 30 s" >&2; exit 1; fi
else
  say "No proxy at $PROXY: skipping the call and the usage check"
fi

say "Usage summary of $TEAM by model version"
api "$DEV" GET "/api/usage/summary?groupBy=modelVersion&teamId=$TEAM" | json 'd["items"]'
