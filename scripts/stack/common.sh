# Shared settings of the local stack (sourced by scripts/stack.sh). Everything listens on loopback.
# Ports default to uncommon values so the stack never fights a Postgres/Redis/Kafka already on the machine.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STACK_HOME="${STACK_HOME:-$HOME/.cache/retention-pipeline}"
PG_PORT="${STACK_PG_PORT:-55432}"
PG_USER="${STACK_PG_USER:-retention}"
PG_PASSWORD="${STACK_PG_PASSWORD:-retention}"
PG_DB="${STACK_PG_DB:-retention}"
PG_CLUSTER="${STACK_PG_CLUSTER:-retention}"
REDIS_PORT="${STACK_REDIS_PORT:-56379}"
KAFKA_PORT="${STACK_KAFKA_PORT:-59092}"
KAFKA_CONTROLLER_PORT="${STACK_KAFKA_CONTROLLER_PORT:-59093}"
# Newest release with which kafkajs 2.2.4 passed the compatibility checks (README, "Kafka version").
KAFKA_VERSION="${STACK_KAFKA_VERSION:-4.4.0}"
KAFKA_HEAP="${STACK_KAFKA_HEAP:-512m}"
mkdir -p "$STACK_HOME"

log() { printf '[stack] %s\n' "$*" >&2; }
die() { printf '[stack] ERROR: %s\n' "$*" >&2; exit 1; }

APT_UPDATED=0
apt_install() {
  # Installs Debian packages only when a command they provide is missing.
  if [ "$APT_UPDATED" = 0 ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || die "apt-get update failed"
    APT_UPDATED=1
  fi
  log "installing $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null \
    || die "apt-get install $* failed"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && exec 3>&- 3<&- ; }

wait_for() {
  # wait_for <seconds> <description> <command...>
  local secs=$1 what=$2; shift 2
  local i
  for ((i = 0; i < secs * 4; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.25
  done
  die "$what not ready after ${secs}s"
}
