#!/usr/bin/env bash
# One command for a newcomer: set-up, migrations, topics, all roles in one process, health green.
#   scripts/demo.sh        start (or keep) the pipeline and feed it the demo dealer's history
#   scripts/demo.sh stop   stop the pipeline this demo started
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mkdir -p .cache
# The pid file names our pipeline only while that process still runs this checkout's `serve`: a pid file
# outlives a reboot, and its number may since belong to any other process (never signal that one).
ours() {
  local pid
  pid=$(cat .cache/pipeline.pid 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$(pwd -P)/dist/apps/retention/src/main.js serve"
}
if [ "${1:-}" = stop ]; then
  if ours; then
    kill "$(cat .cache/pipeline.pid)" && echo "[demo] pipeline stopped (stop the stack with npm run stack:down)"
  else
    echo "[demo] no pipeline of this demo is running"
  fi
  rm -f .cache/pipeline.pid
  exit 0
fi
bash scripts/setup.sh
bin/retention migrate
bin/retention topics
port="${HTTP_PORT:-3000}"
# A pipeline this demo started before (alive, healthy or not) is kept, and so is its pid file; anything else
# answering on the port is not ours: say so instead of starting a second one beside it.
if ours; then
  echo "[demo] the pipeline started earlier is running (pid $(cat .cache/pipeline.pid))" >&2
elif curl -sS -o /dev/null "http://127.0.0.1:$port/health" 2>/dev/null; then
  echo "[demo] something else answers on port $port: stop it, or run with HTTP_PORT=<free port>" >&2
  exit 1
else
  # The simulated dealer invoices in EUR: value at risk is shown in it (unless DEALER_ECONOMICS says otherwise).
  economics='{"*":{"currency":"EUR"}}'
  # The simulated history ends at the start of this month: a quiet demo follows the wall clock up to 60 days past
  # its newest event (default 7), so its timers come due as they would in a live system.
  DEALER_ECONOMICS="${DEALER_ECONOMICS:-$economics}" RISK_MAX_QUIET_ADVANCE_MS="${RISK_MAX_QUIET_ADVANCE_MS:-5184000000}" \
    nohup bin/retention serve > .cache/pipeline.log 2>&1 &
  echo $! > .cache/pipeline.pid
fi
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; then break; fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/health" >/dev/null || {
  echo "[demo] the pipeline is not healthy; /health says:" >&2
  curl -sS "http://127.0.0.1:$port/health" >&2 || true
  echo >&2
  tail -20 .cache/pipeline.log >&2
  exit 1
}
token=$(bin/retention tokens create --dealer "${DEMO_DEALER:-demo-dealer}" --role admin --name demo 2>.cache/token.err | grep "^rpt_" | tail -1 || true)
if [ -z "$token" ]; then
  echo "[demo] could not create a sign-in token:" >&2
  cat .cache/token.err >&2
  exit 1
fi

# Realistic demo data: a mid-sized dealer (2,000 machines, 30 months of deliveries before the window) and
# the last few months of its activity, through the running pipeline exactly as an outside producer would
# send it. The first run's start is kept (.cache/demo-start): running the demo again, even in a later month,
# sends the very same events and adds nothing (event ids de-duplicate) instead of a second, overlapping history.
machines="${DEMO_MACHINES:-2000}"
months="${DEMO_MONTHS:-4}"
if [ -z "${DEMO_START:-}" ] && [ -s .cache/demo-start ]; then DEMO_START=$(cat .cache/demo-start); fi
start="${DEMO_START:-$(date -u -d "$(date -u +%Y-%m-01) -${months} months" +%Y-%m-%d)}"
echo "$start" > .cache/demo-start
echo "[demo] simulating $machines machines from $start for $months months into Kafka"
bin/retention simulate --kafka --seed 7 --dealer "${DEMO_DEALER:-demo-dealer}" \
  --machines "$machines" --start "$start" --months "$months" --history-months 30 --snapshot-days 7 \
  --labels .cache/demo-labels.json
echo "[demo] waiting for the pipeline to turn the history into tasks"
last=-1
for i in $(seq 1 300); do
  # A poll that fails (the API busy or restarting) counts as no task yet; it does not end the demo.
  n=$( (curl -fsS -H "authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/tasks?status=open&limit=100" || true) \
    | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).items.length)}catch{console.log(0)}})')
  n=${n:-0}
  if [ "$n" -gt 0 ] && [ "$n" = "$last" ]; then break; fi
  last=$n
  if [ $((i % 5)) = 0 ]; then echo "[demo] $n open tasks so far"; fi
  sleep 2
done
if [ "$last" -le 0 ]; then
  echo "[demo] no open task after 10 minutes; the end of .cache/pipeline.log:" >&2
  tail -20 .cache/pipeline.log >&2
  exit 1
fi
cat <<MSG

Retention pipeline running (roles: ingest, followups, api; logs in .cache/pipeline.log)
  tasks:    ${last} or more open tasks for dealer ${DEMO_DEALER:-demo-dealer} (first page)
  inbox:    http://127.0.0.1:$port/inbox   (sign in with the token below)
  token:    $token
  health:   http://127.0.0.1:$port/health
  metrics:  http://127.0.0.1:$port/metrics
  API docs: http://127.0.0.1:$port/api/docs-json
  replay:   bin/retention replay --name demo   (isolated; never contacts anyone)
  backtest: bin/retention backtest --labels .cache/demo-labels.json
  stop:     bash scripts/demo.sh stop; npm run stack:down
MSG
