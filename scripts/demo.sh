#!/usr/bin/env bash
# One command for a newcomer: set-up, migrations, topics, all roles in one process, health green.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
node dist/apps/retention/src/main.js migrate
node dist/apps/retention/src/main.js topics
port="${HTTP_PORT:-3000}"
mkdir -p .cache
if curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; then
  echo "[demo] a pipeline already answers on port $port" >&2
else
  nohup node dist/apps/retention/src/main.js serve > .cache/pipeline.log 2>&1 &
  echo $! > .cache/pipeline.pid
fi
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; then break; fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/health" >/dev/null || { tail -20 .cache/pipeline.log >&2; exit 1; }
token=$(node dist/apps/retention/src/main.js tokens create --dealer "${DEMO_DEALER:-demo-dealer}" --role admin --name demo 2>/dev/null | tail -1)
cat <<MSG

Retention pipeline running (roles: ingest, followups, api; logs in .cache/pipeline.log)
  inbox:    http://127.0.0.1:$port/inbox   (sign in with the token below)
  token:    $token
  health:   http://127.0.0.1:$port/health
  metrics:  http://127.0.0.1:$port/metrics
  API docs: http://127.0.0.1:$port/api/docs-json
  stop:     kill \$(cat .cache/pipeline.pid); bash scripts/stack.sh down
MSG
