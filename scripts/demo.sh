#!/usr/bin/env bash
# One command for a newcomer: set-up, migrations, topics, all roles in one process, health green.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
bin/retention migrate
bin/retention topics
port="${HTTP_PORT:-3000}"
mkdir -p .cache
# A pipeline this demo started before (alive, healthy or not) is kept, and so is its pid file; anything else
# answering on the port is not ours: say so instead of starting a second one beside it.
if [ -f .cache/pipeline.pid ] && kill -0 "$(cat .cache/pipeline.pid)" 2>/dev/null; then
  echo "[demo] the pipeline started earlier is running (pid $(cat .cache/pipeline.pid))" >&2
elif curl -sS -o /dev/null "http://127.0.0.1:$port/health" 2>/dev/null; then
  echo "[demo] something else answers on port $port: stop it, or run with HTTP_PORT=<free port>" >&2
  exit 1
else
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
# send it. Same month, same events: running the demo again adds nothing (event ids de-duplicate).
machines="${DEMO_MACHINES:-2000}"
months="${DEMO_MONTHS:-4}"
start=$(date -u -d "$(date -u +%Y-%m-01) -${months} months" +%Y-%m-%d)
echo "[demo] simulating $machines machines from $start for $months months into Kafka"
bin/retention simulate --kafka --seed 7 --dealer "${DEMO_DEALER:-demo-dealer}" \
  --machines "$machines" --start "$start" --months "$months" --history-months 30 --snapshot-days 7 \
  --labels .cache/demo-labels.json
echo "[demo] waiting for the pipeline to turn the history into tasks"
last=-1
for i in $(seq 1 300); do
  n=$(curl -fsS -H "authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/tasks?status=open&limit=100" \
    | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).items.length)}catch{console.log(0)}})')
  if [ "$n" -gt 0 ] && [ "$n" = "$last" ]; then break; fi
  last=$n
  if [ $((i % 5)) = 0 ]; then echo "[demo] $n open tasks so far"; fi
  sleep 2
done
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
  stop:     kill \$(cat .cache/pipeline.pid); bash scripts/stack.sh down
MSG
