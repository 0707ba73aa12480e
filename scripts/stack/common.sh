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

# The stack's ports lie in Linux's default ephemeral range (32768–60999), from which the kernel picks the local
# port of every outgoing connection: one CI run lost Kafka's port to such a socket (the broker's own connection
# to its controller, or npm's) — "BindException: Address already in use" with nothing listening. As root, the
# ports are added to net.ipv4.ip_local_reserved_ports (they stay bindable; the kernel only stops handing them
# out); elsewhere (not root, read-only /proc/sys) nothing changes, and Kafka's start retries a lost bind.
reserve_ports() {
  local f=/proc/sys/net/ipv4/ip_local_reserved_ports cur want p
  [ "$(id -u)" = 0 ] && [ -w "$f" ] || return 0
  cur=$(cat "$f" 2>/dev/null) || return 0
  want=$cur
  for p in "$@"; do
    port_reserved "$p" "$cur" || want="${want:+$want,}$p"
  done
  [ "$want" = "$cur" ] && return 0
  if echo "$want" > "$f" 2>/dev/null; then log "reserved ports $* (net.ipv4.ip_local_reserved_ports)"; fi
}

# port_reserved <port> <list such as "8080,59092-59093">
port_reserved() {
  local p=$1 item lo hi
  local IFS=,
  for item in $2; do
    lo=${item%-*}; hi=${item#*-}
    [ -n "$lo" ] && [ "$p" -ge "$lo" ] && [ "$p" -le "$hi" ] && return 0
  done
  return 1
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
