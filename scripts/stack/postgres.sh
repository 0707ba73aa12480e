# Postgres from Debian's packages, in a cluster of its own (pg_createcluster), loopback only.
pg_version() { ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1; }

pg_install() {
  if [ -z "$(pg_version)" ] || [ ! -x "/usr/lib/postgresql/$(pg_version)/bin/postgres" ]; then
    # policy-rc.d stops the package from starting its default cluster on 5432. One the machine already has
    # (container images ship one) is kept as it is; ours is removed however the install ends.
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
      trap 'rm -f /usr/sbin/policy-rc.d' EXIT
      apt_install postgresql postgresql-contrib
      rm -f /usr/sbin/policy-rc.d
      trap - EXIT
    else
      apt_install postgresql postgresql-contrib
    fi
  fi
}

# Administration goes through the local socket as the postgres OS user (peer auth).
pg_admin() { su postgres -c "psql -X -tA -p $PG_PORT -d postgres -v ON_ERROR_STOP=1 -c \"$1\""; }

# Settings for a write-heavy pipeline (many multi-row inserts per second, short transactions). Durability is
# untouched (fsync, synchronous_commit and full_page_writes stay on): Kafka offsets are committed only after
# Postgres has committed, so a commit must really be on disk. Commit timestamps are kept (a few bytes per
# transaction): the latency benchmark measures when a task became visible, not when its transaction began.
# Returns 0 when the file changed.
pg_write_conf() {
  local dir="/etc/postgresql/$1/$PG_CLUSTER/conf.d" want
  want=$(cat <<CONF
listen_addresses = '127.0.0.1'
max_connections = 200
shared_buffers = '${PG_SHARED_BUFFERS:-1GB}'
wal_buffers = '64MB'
max_wal_size = '8GB'
min_wal_size = '1GB'
checkpoint_timeout = '15min'
checkpoint_completion_target = 0.9
wal_compression = lz4
jit = off
work_mem = '16MB'
maintenance_work_mem = '256MB'
track_commit_timestamp = on
CONF
)
  # STACK_PG_PROFILE=1: statement statistics (pg_stat_statements) and the plans of slow statements in the
  # cluster's log (auto_explain, at least STACK_PG_EXPLAIN_MS, default 50 ms): profiling the benchmarks from the
  # Postgres side. Off by default (a restart turns it on or off).
  if [ "${STACK_PG_PROFILE:-0}" = 1 ]; then
    want+=$'\n'"shared_preload_libraries = 'pg_stat_statements'"
    want+=$'\n'"session_preload_libraries = 'auto_explain'"
    want+=$'\n'"auto_explain.log_min_duration = '${STACK_PG_EXPLAIN_MS:-50}ms'"
    want+=$'\n'"auto_explain.log_analyze = on"
    want+=$'\n'"auto_explain.log_buffers = on"
  fi
  mkdir -p "$dir"
  [ "$(cat "$dir/retention.conf" 2>/dev/null)" = "$want" ] && return 1
  printf '%s\n' "$want" > "$dir/retention.conf"
}

pg_up() {
  pg_install
  local v; v=$(pg_version)
  if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$v $PG_CLUSTER"; then
    log "creating Postgres $v cluster '$PG_CLUSTER' on port $PG_PORT"
    pg_createcluster "$v" "$PG_CLUSTER" -p "$PG_PORT" >/dev/null
  fi
  local online=0
  pg_lsclusters -h | awk -v c="$PG_CLUSTER" '$2==c {print $4}' | grep -q online && online=1
  if pg_write_conf "$v" && [ "$online" = 1 ]; then
    log "Postgres settings changed, restarting"
    pg_ctlcluster "$v" "$PG_CLUSTER" restart
  elif [ "$online" = 0 ]; then
    log "starting Postgres"
    pg_ctlcluster "$v" "$PG_CLUSTER" start
  fi
  wait_for 30 Postgres su postgres -c "pg_isready -q -p $PG_PORT"
  if [ "$(pg_admin "select 1 from pg_roles where rolname='$PG_USER'")" != 1 ]; then
    pg_admin "create role $PG_USER login createdb password '$PG_PASSWORD'" >/dev/null
  fi
  if [ "$(pg_admin "select 1 from pg_database where datname='$PG_DB'")" != 1 ]; then
    su postgres -c "createdb -p $PG_PORT -O $PG_USER $PG_DB"
  fi
  if [ "${STACK_PG_PROFILE:-0}" = 1 ]; then
    su postgres -c "psql -X -q -p $PG_PORT -d $PG_DB -c 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements'"
    log "Postgres profiling on: pg_stat_statements in $PG_DB, plans of statements >= ${STACK_PG_EXPLAIN_MS:-50} ms in /var/log/postgresql/postgresql-$v-$PG_CLUSTER.log"
  fi
  log "Postgres ready on 127.0.0.1:$PG_PORT (db $PG_DB)"
}

pg_down() {
  local v; v=$(pg_version)
  [ -n "$v" ] || return 0
  if pg_lsclusters -h 2>/dev/null | awk -v c="$PG_CLUSTER" '$2==c {print $4}' | grep -q online; then
    pg_ctlcluster "$v" "$PG_CLUSTER" stop -m fast && log "Postgres stopped"
  fi
}

pg_status() { su postgres -c "pg_isready -q -p $PG_PORT" 2>/dev/null; }
