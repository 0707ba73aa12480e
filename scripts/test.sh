#!/usr/bin/env bash
# The whole test suite on a fresh machine: set-up, static checks, then unit, integration and e2e tiers
# against the real local stack. Jest's JSON result goes to reports/jest.json (read by .ci/run).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
echo "[test] static checks" >&2
npm run --silent lint
bash scripts/check-compose.sh
mkdir -p reports
echo "[test] jest (unit, int, e2e)" >&2
npx jest --runInBand --json --outputFile=reports/jest.json "$@"
