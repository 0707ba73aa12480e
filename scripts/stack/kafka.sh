# Apache Kafka in KRaft mode (no ZooKeeper): jars from Maven Central, started with java -cp.
KAFKA_DIR="$STACK_HOME/kafka-$KAFKA_VERSION"
KAFKA_LIBS="$KAFKA_DIR/libs"
KAFKA_DATA="$STACK_HOME/kafka-data-$KAFKA_VERSION"
KAFKA_PID="$KAFKA_DIR/kafka.pid"
STACK_SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

kafka_fetch() {
  [ -f "$KAFKA_LIBS/kafka_2.13-$KAFKA_VERSION.jar" ] && return 0
  command -v java >/dev/null || apt_install openjdk-17-jre-headless
  command -v mvn >/dev/null || apt_install maven
  log "fetching Kafka $KAFKA_VERSION jars from Maven Central"
  rm -rf "$KAFKA_LIBS.tmp"
  mvn -q -B -f "$STACK_SCRIPTS/kafka-pom.xml" -Dkafka.version="$KAFKA_VERSION" \
    -Dmaven.repo.local="$STACK_HOME/m2" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIBS.tmp" >&2 || die "maven could not fetch Kafka $KAFKA_VERSION"
  mv "$KAFKA_LIBS.tmp" "$KAFKA_LIBS"
}

kafka_java() { java -Xms128m -Xmx"$KAFKA_HEAP" -XX:+UseG1GC -Dlog4j2.configurationFile="$KAFKA_DIR/log4j2.yaml" -cp "$KAFKA_LIBS/*" "$@"; }

kafka_config() {
  mkdir -p "$KAFKA_DIR" "$KAFKA_DATA"
  cat > "$KAFKA_DIR/server.properties" <<CONF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DATA
num.partitions=3
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
group.consumer.min.session.timeout.ms=6000
group.classic.min.session.timeout.ms=6000
log.retention.hours=-1
CONF
  cat > "$KAFKA_DIR/log4j2.yaml" <<CONF
Configuration:
  Appenders:
    Console: { name: STDOUT, PatternLayout: { pattern: "[%d] %p %m (%c)%n" } }
  Loggers:
    Root: { level: WARN, AppenderRef: [{ ref: STDOUT }] }
    Logger: [{ name: kafka.server.KafkaRaftServer, level: INFO }]
CONF
}

kafka_ready() {
  # The broker answers a metadata request on its client port (a bare port check before npm install).
  [ -d "$REPO_ROOT/node_modules/kafkajs" ] || { port_open "$KAFKA_PORT"; return; }
  (cd "$REPO_ROOT" && node -e "
    const { Kafka, logLevel } = require('kafkajs');
    const a = new Kafka({ brokers: ['127.0.0.1:$KAFKA_PORT'], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
    a.connect().then(() => a.describeCluster()).then(() => a.disconnect()).then(() => process.exit(0), () => process.exit(1));
  " 2>/dev/null)
}

kafka_format() {
  [ -f "$KAFKA_DATA/meta.properties" ] && return 0
  log "formatting KRaft storage"
  local id; id=$(kafka_java kafka.tools.StorageTool random-uuid | tail -1)
  kafka_java kafka.tools.StorageTool format -t "$id" -c "$KAFKA_DIR/server.properties" >&2
}

# The process a pid file names is this stack's broker (a pid file outlives a reboot or a crash, and its number
# may since belong to any other process: never signal that one).
kafka_ours() {
  local pid=$1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "kafka.Kafka $KAFKA_DIR/server.properties"
}

kafka_start() {
  if port_open "$KAFKA_PORT"; then
    kafka_ready && return 0
    die "port $KAFKA_PORT is in use by something that is not a Kafka broker (set STACK_KAFKA_PORT to another port)"
  fi
  port_open "$KAFKA_CONTROLLER_PORT" &&
    die "Kafka's controller port $KAFKA_CONTROLLER_PORT is in use by another process (set STACK_KAFKA_CONTROLLER_PORT)"
  log "starting Kafka $KAFKA_VERSION"
  # Every partition keeps open segment files: a developer's stack that piled up test topics ran out of file
  # descriptors ("Too many open files") and the broker shut down. Raise the limit (root may), else to the hard one.
  # Paths are passed as arguments, so a STACK_HOME with spaces works.
  # shellcheck disable=SC2016 # expanded by the inner shell
  nohup bash -c 'ulimit -n 1048576 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null
    exec java -Xms128m -Xmx"$1" -XX:+UseG1GC -Dlog4j2.configurationFile="$2" -cp "$3" kafka.Kafka "$4"' \
    _ "$KAFKA_HEAP" "$KAFKA_DIR/log4j2.yaml" "$KAFKA_LIBS/*" "$KAFKA_DIR/server.properties" \
    > "$KAFKA_DIR/kafka.log" 2>&1 &
  echo $! > "$KAFKA_PID"
}

# Waits until the broker answers; stops early when its process exited (a port taken, a bad jar, an old Java)
# or its storage cannot be served. Fails with the cause from its log.
kafka_wait() {
  local i binds=0
  for ((i = 0; i < 360; i++)); do
    kafka_ready && return 0
    kafka_corrupt && return 1
    # A broker that lost its bind hangs in its shutdown for a while; it never served anything: kill it.
    if kafka_lost_bind && [ "$binds" -lt 3 ]; then
      local pid; pid=$(cat "$KAFKA_PID" 2>/dev/null || true)
      if kafka_ours "$pid"; then
        { kill -9 "$pid"; wait "$pid"; } 2>/dev/null || true
        while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
      fi
    fi
    if ! kafka_ours "$(cat "$KAFKA_PID" 2>/dev/null)"; then
      sleep 1
      kafka_ready && return 0
      # A port held for a moment by an outgoing connection's socket (nothing listens on it; see reserve_ports):
      # the broker's own connections close with it, so a new start gets the port. Three tries.
      if kafka_lost_bind && [ "$binds" -lt 3 ] && ! port_open "$KAFKA_PORT" && ! port_open "$KAFKA_CONTROLLER_PORT"; then
        binds=$((binds + 1))
        log "Kafka could not bind its port (taken by another socket for a moment); starting again ($binds of 3)"
        sleep 2
        kafka_start
        continue
      fi
      log "the Kafka process exited; the end of $KAFKA_DIR/kafka.log:"
      tail -20 "$KAFKA_DIR/kafka.log" >&2
      exit 1
    fi
    sleep 0.25
  done
  log "Kafka did not answer within 90 s; the end of $KAFKA_DIR/kafka.log:"
  tail -20 "$KAFKA_DIR/kafka.log" >&2
  exit 1
}

kafka_lost_bind() { grep -q 'BindException: Address already in use' "$KAFKA_DIR/kafka.log" 2>/dev/null; }

# Storage the broker cannot serve: a torn metadata log, or every log dir offline (e.g. out of descriptors).
kafka_corrupt() { grep -qE 'CorruptRecordException|all log dirs in .* have failed' "$KAFKA_DIR/kafka.log" 2>/dev/null; }

kafka_up() {
  kafka_fetch
  kafka_config
  kafka_format
  kafka_start
  kafka_wait || true
  if ! kafka_ready; then
    # A machine stopped without a clean shutdown can leave a torn metadata log that KRaft refuses to load
    # (and the fault handler hangs instead of exiting); a stack that piled up test topics can run out of file
    # descriptors loading them. The local stack's data is disposable: set it aside, start fresh once.
    if kafka_corrupt; then
      log "Kafka cannot serve its storage (see $KAFKA_DIR/kafka.log); moving $KAFKA_DATA aside and starting fresh"
      kafka_down
      pkill -9 -f "kafka.Kafka $KAFKA_DIR/server.properties" 2>/dev/null || true
      rm -rf "$KAFKA_DATA.corrupt" && mv "$KAFKA_DATA" "$KAFKA_DATA.corrupt" && mkdir -p "$KAFKA_DATA"
      kafka_format
      kafka_start
      kafka_wait || { tail -20 "$KAFKA_DIR/kafka.log" >&2; exit 1; }
    else
      tail -20 "$KAFKA_DIR/kafka.log" >&2
      exit 1
    fi
  fi
  log "Kafka $KAFKA_VERSION ready on 127.0.0.1:$KAFKA_PORT"
}

kafka_down() {
  local pid
  pid=$(cat "$KAFKA_PID" 2>/dev/null || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && ! kafka_ours "$pid"; then
    log "stale Kafka pid file: process $pid is not this stack's broker; left alone"
  elif [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
    log "Kafka stopped"
  fi
  rm -f "$KAFKA_PID"
}

kafka_status() { port_open "$KAFKA_PORT"; }
