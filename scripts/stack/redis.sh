# Redis from Debian's packages with what BullMQ needs: noeviction and append-only persistence.
REDIS_DIR="$STACK_HOME/redis"

redis_up() {
  command -v redis-server >/dev/null || apt_install redis-server
  mkdir -p "$REDIS_DIR"
  cat > "$REDIS_DIR/redis.conf" <<CONF
bind 127.0.0.1
protected-mode yes
port $REDIS_PORT
daemonize yes
pidfile "$REDIS_DIR/redis.pid"
logfile "$REDIS_DIR/redis.log"
dir "$REDIS_DIR"
appendonly yes
appendfsync everysec
maxmemory-policy noeviction
save ""
CONF
  if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    log "starting Redis"
    redis-server "$REDIS_DIR/redis.conf"
  fi
  wait_for 20 Redis redis-cli -p "$REDIS_PORT" ping
  log "Redis ready on 127.0.0.1:$REDIS_PORT"
}

redis_down() {
  if redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    redis-cli -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || true
    log "Redis stopped"
  fi
}

redis_status() { redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }
