#!/usr/bin/env bash
# Everything a fresh machine needs before running the pipeline or the tests:
# Node dependencies, the local stack (Postgres, Redis, Kafka on loopback), a build. Idempotent.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # `npm install`, not `npm ci`: npm 11 leaves some optional platform packages of msgpackr-extract
  # (a BullMQ dependency) out of the lock file, and `npm ci` then refuses a lock it just wrote.
  echo "[setup] npm install" >&2
  npm install --no-audit --no-fund --loglevel=error
fi
bash scripts/stack.sh up
echo "[setup] build" >&2
npx nest build
