#!/usr/bin/env bash
# The whole test suite on a fresh machine: set-up, static checks, then unit, integration and e2e tiers
# against the real local stack. Jest's JSON result goes to reports/jest.json (read by .ci/run).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
# Test files create topics of their own; those of earlier runs are removed (they pile up on a developer's stack).
npx ts-node --transpile-only -r tsconfig-paths/register scripts/clean-test-topics.ts || true
# The inbox's browser test drives Debian's Chromium (browsers cannot be downloaded here).
if [ ! -x /usr/bin/chromium ]; then
  echo "[test] apt-get install chromium" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
# Static checks first; their failure fails the run, but the tests still run so the report is complete.
echo "[test] static checks" >&2
static=0
npm run --silent lint || static=$((static + 1))
bash scripts/check-compose.sh || static=$((static + 1))
mkdir -p reports
echo "$static" >reports/static-failures # read by .ci/run: a failed static check counts as a failure
echo "[test] jest (unit, int, e2e)" >&2
jest=0
npx jest --runInBand --json --outputFile=reports/jest.json "$@" || jest=1
[ "$static" -eq 0 ] || echo "[test] static checks FAILED (see above)" >&2
exit $(((static > 0) | jest))
