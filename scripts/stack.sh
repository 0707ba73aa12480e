#!/usr/bin/env bash
# Local stack without Docker: Postgres, Redis and Kafka (KRaft) on loopback. Idempotent.
#   scripts/stack.sh up|down|status [postgres|redis|kafka ...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/stack/common.sh"
source "$here/stack/postgres.sh"
source "$here/stack/redis.sh"
source "$here/stack/kafka.sh"

cmd="${1:-status}"; shift || true
services=("$@"); [ ${#services[@]} -gt 0 ] || services=(postgres redis kafka)
for s in "${services[@]}"; do
  case "$s" in postgres|redis|kafka) ;; *) die "unknown service '$s' (postgres, redis, kafka)";; esac
done
pref() { case "$1" in postgres) echo pg;; *) echo "$1";; esac; }

case "$cmd" in
  up) reserve_ports "$PG_PORT" "$REDIS_PORT" "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"
    for s in "${services[@]}"; do "$(pref "$s")_up"; done ;;
  down) for s in "${services[@]}"; do "$(pref "$s")_down"; done ;;
  status)
    rc=0
    for s in "${services[@]}"; do
      if "$(pref "$s")_status"; then echo "$s: up"; else echo "$s: down"; rc=1; fi
    done
    exit $rc ;;
  *) die "unknown command '$cmd' (up, down, status)" ;;
esac
