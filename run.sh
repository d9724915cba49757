#!/usr/bin/env bash
# Quick start: brings up the control-plane emulator (a local stand-in for the SaaS side) and the all-in-one runner
# (gateway + poller + executor in one process over the in-memory broker), sends it a first push request and a first
# pull task, prints both results and how to send your own, then keeps running until Ctrl-C.
#   ./run.sh          run until Ctrl-C
#   ./run.sh --once   stop after the first request and task (a smoke test)
set -euo pipefail
cd "$(dirname "$0")"

EMULATOR=http://127.0.0.1:9020
RUNNER=http://127.0.0.1:9016
HTTP_ACTION=com.datadoghq.http.request
state=.run
mkdir -p "$state/config/credentials"

say() { printf '\n\033[1m%s\033[0m\n' "$*"; }
wait_for() { for _ in $(seq 1 150); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.2; done; echo "timed out waiting for $1" >&2; return 1; }
json_field() { sed -E "s/.*\"$1\":\"([^\"]+)\".*/\1/"; }

say "Building (Release)…"
dotnet build Pipeline.sln -c Release -nologo -v q >/dev/null

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

say "Starting the control-plane emulator on $EMULATOR (log: $state/emulator.log)"
dotnet tools/emulator/bin/Release/net10.0/par-emulator.dll --ListenUrl "$EMULATOR" --KeyFile "$state/emulator-key.json" >"$state/emulator.log" 2>&1 &
pids+=($!)
wait_for "$EMULATOR/.well-known/jwks.json"

# The emulator forgets runners when it stops, so the runner enrolls on every start; other keys in config.yaml are kept.
if [ ! -f "$state/config/config.yaml" ]; then
  cat >"$state/config/config.yaml" <<YAML
# Written by run.sh for the quick start; edit freely (docs/configuration.md).
controlPlaneJwks: $EMULATOR/.well-known/jwks.json
bindAddress: 127.0.0.1
actionsAllowlist:
  - $HTTP_ACTION
YAML
fi
say "Enrolling the runner with the emulator"
DD_API_KEY=emulator-api-key DD_APP_KEY=emulator-app-key DD_BASE_URL="$EMULATOR" RUNNER_NAME=quickstart RUNNER_MODES=pull,push \
  DD_PRIVATE_RUNNER_CONFIG_DIR="$state/config" dotnet services/runner/bin/Release/net10.0/par.dll --with-api-key

say "Starting the runner: gateway on $RUNNER, poller, executor (log: $state/runner.log)"
DD_PRIVATE_RUNNER_CONFIG_DIR="$state/config" dotnet services/runner/bin/Release/net10.0/par.dll >"$state/runner.log" 2>&1 &
pids+=($!)
wait_for "$RUNNER/readyz"

say "Push: a browser's request with a single-use token minted by the emulator"
TOKEN=$(curl -fsS -X POST "$EMULATOR/admin/tokens" -H 'content-type: application/json' -d "{\"action\":\"$HTTP_ACTION\"}" | json_field token)
curl -fsS -X POST "$RUNNER/api/v1/actions/run" -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \
  -d "{\"action\":\"$HTTP_ACTION\",\"inputs\":{\"verb\":\"GET\",\"url\":\"$EMULATOR/.well-known/jwks.json\"}}" | head -c 400
echo
echo "…the same token again is refused (single use):"
curl -sS -o /dev/null -w '%{http_code}\n' -X POST "$RUNNER/api/v1/actions/run" -H "Authorization: Bearer $TOKEN" \
  -H 'content-type: application/json' -d "{\"action\":\"$HTTP_ACTION\",\"inputs\":{}}"

say "Pull: a workflow task queued on the control plane, picked up by the poller"
TASK=$(curl -fsS -X POST "$EMULATOR/admin/tasks" -H 'content-type: application/json' \
  -d "{\"action\":\"$HTTP_ACTION\",\"inputs\":{\"verb\":\"GET\",\"url\":\"$RUNNER/healthz\"}}" | json_field taskId)
for _ in $(seq 1 50); do
  STATE=$(curl -fsS "$EMULATOR/admin/tasks/$TASK")
  case "$STATE" in *'"state":"succeeded"'*|*'"state":"failed"'*) break ;; esac
  sleep 0.2
done
echo "$STATE" | head -c 400
echo

if [ "${1:-}" = "--once" ]; then
  case "$STATE" in *'"state":"succeeded"'*) say "Quick start OK"; exit 0 ;; *) echo "the pull task did not succeed" >&2; exit 1 ;; esac
fi

cat <<TXT

The runner is up. Try your own:
  TOKEN=\$(curl -s -X POST $EMULATOR/admin/tokens -H 'content-type: application/json' -d '{"action":"$HTTP_ACTION"}' | sed -E 's/.*"token":"([^"]+)".*/\1/')
  curl -s -X POST $RUNNER/api/v1/actions/run -H "Authorization: Bearer \$TOKEN" -H 'content-type: application/json' \\
       -d '{"action":"$HTTP_ACTION","inputs":{"verb":"GET","url":"https://example.internal/"}}'
  curl -s -X POST $EMULATOR/admin/tasks -H 'content-type: application/json' -d '{"action":"$HTTP_ACTION","inputs":{"verb":"GET","url":"$RUNNER/healthz"}}'
  curl -s $EMULATOR/admin/stats
Config: $state/config/config.yaml. Logs: $state/*.log. Ctrl-C stops everything.
TXT
wait
