#!/usr/bin/env bash
# Single-node Apache Kafka 4.x (KRaft, broker+controller) on loopback, assembled from
# Maven Central jars. See ops/kafka/README.md and `kafka.sh --help`.
set -euo pipefail

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd -- "$SCRIPT_DIR/../.." && pwd)

KAFKA_VERSION=${RASD_KAFKA_VERSION:-4.3.1}
CACHE=${RASD_KAFKA_CACHE:-$REPO_ROOT/.cache/kafka}
HOST=127.0.0.1
PORT_SPEC=${RASD_KAFKA_PORT:-9092}
HEAP=${RASD_KAFKA_HEAP:--Xmx512m -Xms128m}
START_TIMEOUT=${RASD_KAFKA_START_TIMEOUT:-60}
STOP_TIMEOUT=${RASD_KAFKA_STOP_TIMEOUT:-30}
LOG_LEVEL=${RASD_KAFKA_LOG_LEVEL:-INFO}
KEEP=${RASD_KAFKA_KEEP:-0}
CDS=${RASD_KAFKA_CDS:-1}
MVN=${RASD_KAFKA_MVN:-mvn}
if [[ -n ${RASD_KAFKA_JAVA:-} ]]; then
  JAVA=$RASD_KAFKA_JAVA
elif [[ -n ${JAVA_HOME:-} && -x ${JAVA_HOME}/bin/java ]]; then
  JAVA=$JAVA_HOME/bin/java
else
  JAVA=java
fi

VERSION_DIR=$CACHE/$KAFKA_VERSION
LIBS=$VERSION_DIR/libs
RUN_ROOT=$CACHE/run
MARKER=.rasd-kafka          # present in every data dir this script created (guards rm -rf)
# AppCDS archive of the broker's classes: dumped when the first broker of this version
# stops cleanly, then mapped by later starts (~1 s faster startup). RASD_KAFKA_CDS=0 disables.
CDS_ARCHIVE=$VERSION_DIR/broker-cds.jsa

# Set by resolve_instance.
PORT=
DATA=
REUSED_KEPT=0   # set by start_once when it reused a data dir kept with --keep

log() { printf 'kafka.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

usage() {
  cat <<EOF
Usage: ops/kafka/kafka.sh COMMAND [ARGS]

Runs a throw-away single-node Apache Kafka $KAFKA_VERSION broker (KRaft, combined
broker+controller) on $HOST, built from Maven Central jars (ops/kafka/pom.xml).

Commands:
  fetch              Download the Kafka jars into the cache (once; instant when cached).
  fetched            Exit 0 if the jars are in the cache (start will not download them).
  start              Fetch if needed, format fresh storage, start the broker in the
                     background and wait until it answers a Kafka Metadata request
                     (bounded by RASD_KAFKA_START_TIMEOUT). Prints HOST:PORT on stdout.
                     If that instance is already running, just prints HOST:PORT.
                     On failure prints the tail of the broker log and exits non-zero.
  stop [--keep] [--all]
                     SIGTERM the broker, wait up to RASD_KAFKA_STOP_TIMEOUT, then SIGKILL.
                     Deletes the data dir unless --keep (or RASD_KAFKA_KEEP=1); a kept
                     data dir is reused by the next start. --all stops every instance
                     under the cache's run/ dir.
  status             Print state (running/stopped, pid, bootstrap, data dir).
                     Exit 0 if running and answering, 1 otherwise.
  bootstrap          Print HOST:PORT of the instance (e.g. for KAFKA_BOOTSTRAP).
  run-class CLASS [ARGS...]
                     Run any Java main class with the Kafka classpath (tools logging).
  topics|console-producer|console-consumer|api-versions|consumer-groups|
  transactions|producer-perf [ARGS...]
                     Shortcuts for the Kafka CLI classes; --bootstrap-server of the
                     instance is added when not given (not for producer-perf).
  logs [N]           Print the last N (default 100) lines of the broker log.
  smoke              Run ops/kafka/smoke.sh: start (RASD_KAFKA_PORT, default auto), create a
                     topic, produce/consume, transactional produce + read_committed, stop.
  -h, --help         This text.

Environment (all optional):
  RASD_KAFKA_PORT     Broker port (default 9092). 0 or "auto": pick a free loopback port
                      at start; later commands with "auto" act on the last auto-started
                      instance (or set RASD_KAFKA_PORT to the printed port).
  RASD_KAFKA_CACHE    Jar + state cache (default <repo>/.cache/kafka; now: $CACHE).
  RASD_KAFKA_DATA     Data dir of the instance (default \$RASD_KAFKA_CACHE/run/<port>).
                      Holds server.properties, logs/server.log, kraft-logs/, kafka.pid.
  RASD_KAFKA_HEAP     Broker heap flags (default "-Xmx512m -Xms128m").
  RASD_KAFKA_JVM_OPTS Extra JVM flags for the broker.
  RASD_KAFKA_VERSION  Kafka version from Maven Central (default 4.3.1).
  RASD_KAFKA_START_TIMEOUT  Seconds to wait for readiness (default 60).
  RASD_KAFKA_STOP_TIMEOUT   Seconds to wait after SIGTERM before SIGKILL (default 30).
  RASD_KAFKA_KEEP     1 = stop keeps the data dir (same as stop --keep).
  RASD_KAFKA_LOG_LEVEL  Broker log level for server.log (default INFO).
  RASD_KAFKA_CDS      1 (default) = use/create a class-data-sharing archive in the cache
                      for faster broker startup; 0 = off.
  RASD_KAFKA_JAVA     java binary (default \$JAVA_HOME/bin/java or java on PATH; needs 17+).
  RASD_KAFKA_MVN      mvn binary (default mvn). RASD_KAFKA_MVN_ARGS: extra mvn args
                      (e.g. "-o" or "-s settings.xml").

The controller listener uses a second free loopback port; both listeners bind $HOST only.
EOF
}

# ---------------------------------------------------------------------------------------
# helpers

is_auto_port() { [[ $PORT_SPEC == 0 || $PORT_SPEC == auto ]]; }

# True if a TCP socket (v4 or v6) uses local port $1. Sockets in TIME-WAIT (state 06) do not
# count: they are closed connections the kernel remembers for a minute, and the broker (which
# binds with SO_REUSEADDR) can listen on the port anyway, so a restart is not refused.
port_in_use() {
  local hex
  hex=$(printf '%04X' "$1")
  awk -v h=":$hex" 'FNR > 1 && substr($2, length($2) - 4) == h && $4 != "06" { found = 1 }
    END { exit !found }' /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# Warn about a port inside the kernel's ephemeral range (where the clients' own outgoing
# connections get their local ports): while the broker is down a client reconnecting to it can
# be given that very port as its local port and connect to itself, and the broker then cannot
# bind it. Auto ports (RASD_KAFKA_PORT=auto) are always below the range.
warn_ephemeral() {
  local low high
  read -r low high </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || return 0
  if (($1 >= low && $1 <= high)); then
    log "warning: port $1 is in the ephemeral range $low-$high; a client reconnecting while the" \
      "broker is down can take it (restart fails with 'in use'). Prefer a port below $low" \
      "or RASD_KAFKA_PORT=auto"
  fi
}

# Prints a currently unused port in 20000-32767 (below Linux's default ephemeral range),
# excluding the ports given as arguments.
pick_free_port() {
  local p i x skip
  for ((i = 0; i < 200; i++)); do
    p=$((20000 + RANDOM % 12768))
    skip=0
    for x in "$@"; do [[ $x == "$p" ]] && skip=1; done
    ((skip)) && continue
    port_in_use "$p" && continue
    [[ -e $RUN_ROOT/$p ]] && continue
    echo "$p"
    return 0
  done
  die "could not find a free loopback port"
}

# get_val KEY FILE: value of KEY=... in a simple env file.
get_val() {
  [[ -f $2 ]] || return 0
  sed -n "s/^$1=//p" "$2" | tail -n 1
}

classpath() { printf '%s/*' "$LIBS"; }

pid_alive() {
  local pid=$1
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 1
  # Guard against pid reuse: must be our broker for this data dir.
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "kafka.Kafka $DATA/server.properties"
}

instance_pid() { get_val PID "$DATA/instance.env"; }

# lock_port PORT FLOCK_ARGS...: serialise start/stop of one instance across processes
# (fd 9; released when the script exits or the next lock_port call replaces it).
lock_port() {
  mkdir -p "$RUN_ROOT/.locks"
  exec 9>"$RUN_ROOT/.locks/$1"
  flock "${@:2}" 9
}
LOCK_WAIT=$((START_TIMEOUT + STOP_TIMEOUT + 30))

# Sets PORT and DATA for commands that act on an existing instance.
resolve_instance() {
  if is_auto_port; then
    if [[ -n ${RASD_KAFKA_DATA:-} ]]; then
      DATA=$RASD_KAFKA_DATA
      PORT=$(get_val PORT "$DATA/instance.env")
    else
      PORT=$(cat "$RUN_ROOT/last-auto" 2>/dev/null || true)
      DATA=$RUN_ROOT/$PORT
    fi
    [[ -n $PORT ]] || die "RASD_KAFKA_PORT=$PORT_SPEC but no auto-started instance is known; set RASD_KAFKA_PORT to its port"
  else
    [[ $PORT_SPEC =~ ^[0-9]+$ ]] && ((PORT_SPEC > 0 && PORT_SPEC < 65536)) ||
      die "RASD_KAFKA_PORT must be 1-65535, 0 or auto (got '$PORT_SPEC')"
    PORT=$PORT_SPEC
    DATA=${RASD_KAFKA_DATA:-$RUN_ROOT/$PORT}
  fi
}

java_check() {
  command -v "$JAVA" >/dev/null 2>&1 || die "java not found (set RASD_KAFKA_JAVA or JAVA_HOME)"
  local v
  v=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  [[ ${v%%.*} =~ ^[0-9]+$ ]] && ((${v%%.*} >= 17)) || die "Kafka 4 needs Java 17+, $JAVA is '$v'"
}

# Raw Kafka Metadata v4 request (no topics) over /dev/tcp. Succeeds when the broker
# answers with a broker list containing at least one broker, i.e. it has finished
# startup (request processing is only enabled once the broker caught up with metadata).
probe_metadata() {
  local port=$1 out
  out=$(timeout 3 bash -c '
    exec 3<>"/dev/tcp/$0/$1" || exit 1
    # size=19 | api_key=3 (Metadata) | version=4 | correlation_id=0x2a | client_id "rasd"
    # | topics: empty array | allow_auto_topic_creation=false
    printf "\x00\x00\x00\x13\x00\x03\x00\x04\x00\x00\x00\x2a\x00\x04rasd\x00\x00\x00\x00\x00" >&3
    head -c 20 <&3 | od -An -v -tu1
  ' "$HOST" "$port" 2>/dev/null) || return 1
  # shellcheck disable=SC2206
  local b=($out)
  ((${#b[@]} >= 20)) || return 1
  # bytes 4-7 correlation id, 8-11 throttle, 12-15 broker count, 16-19 first node id
  [[ ${b[4]} == 0 && ${b[5]} == 0 && ${b[6]} == 0 && ${b[7]} == 42 ]] || return 1
  local n=$(((b[12] << 24) | (b[13] << 16) | (b[14] << 8) | b[15]))
  ((n >= 1))
}

# ---------------------------------------------------------------------------------------
# fetch

fetch_stamp() {
  printf '%s %s\n' "$KAFKA_VERSION" "$(sha256sum "$SCRIPT_DIR/pom.xml" | cut -d' ' -f1)"
}

libs_ready() {
  [[ -f $VERSION_DIR/.fetched && -f $LIBS/kafka_2.13-$KAFKA_VERSION.jar ]] &&
    [[ $(cat "$VERSION_DIR/.fetched") == "$(fetch_stamp)" ]]
}

cmd_fetch() {
  if libs_ready; then
    [[ ${1:-} == quiet ]] || log "Kafka $KAFKA_VERSION jars already in $LIBS"
    return 0
  fi
  mkdir -p "$VERSION_DIR"
  # Serialise concurrent fetches (e.g. two `start`s on a cold cache).
  exec 8>"$VERSION_DIR/.fetch.lock"
  flock 8
  if libs_ready; then exec 8>&-; return 0; fi
  command -v "$MVN" >/dev/null 2>&1 || die "mvn not found (set RASD_KAFKA_MVN)"
  log "fetching Kafka $KAFKA_VERSION jars from Maven Central into $LIBS ..."
  local tmp=$VERSION_DIR/libs.tmp.$$ t0=$SECONDS
  rm -rf "$tmp"
  # shellcheck disable=SC2086
  if ! "$MVN" -B -Dstyle.color=never ${RASD_KAFKA_MVN_ARGS:-} -f "$SCRIPT_DIR/pom.xml" \
    -Dkafka.version="$KAFKA_VERSION" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp" \
    >"$VERSION_DIR/fetch.log" 2>&1; then
    rm -rf "$tmp"
    grep -E 'ERROR|BUILD' "$VERSION_DIR/fetch.log" | head -n 20 >&2 || true
    die "mvn dependency:copy-dependencies failed for Kafka $KAFKA_VERSION (full log: $VERSION_DIR/fetch.log)"
  fi
  [[ -f $tmp/kafka_2.13-$KAFKA_VERSION.jar ]] || { rm -rf "$tmp"; die "kafka_2.13-$KAFKA_VERSION.jar missing after mvn"; }
  rm -rf "$LIBS" "$CDS_ARCHIVE"
  mv "$tmp" "$LIBS"
  fetch_stamp >"$VERSION_DIR/.fetched"
  exec 8>&-
  log "fetched $(ls "$LIBS" | wc -l) jars ($(du -sh "$LIBS" | cut -f1)) in $((SECONDS - t0))s"
}

# ---------------------------------------------------------------------------------------
# start

write_config() {
  local cport=$1
  cat >"$DATA/server.properties" <<EOF
# Generated by ops/kafka/kafka.sh -- single-node KRaft (broker+controller) on loopback.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=$HOST:$cport
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$cport
advertised.listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$cport
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA/kraft-logs

num.partitions=1
default.replication.factor=1
min.insync.replicas=1
auto.create.topics.enable=true
delete.topic.enable=true
group.initial.rebalance.delay.ms=0

# Internal topics on a single broker (exactly-once needs the transaction log).
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1

num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
log.retention.hours=24
EOF
}

# Common JVM flags; the broker gets G1 + heap, short-lived tools get fast-start flags.
tool_java() {
  "$JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto \
    -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$SCRIPT_DIR/log4j2-tools.xml" \
    -cp "$(classpath)" "$@"
}

STOP_KILLED=0
stop_pid() {
  local pid=$1 deadline
  STOP_KILLED=0
  kill -TERM "$pid" 2>/dev/null || return 0
  deadline=$((SECONDS + STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      log "broker pid $pid ignored SIGTERM for ${STOP_TIMEOUT}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      STOP_KILLED=1
      break
    fi
    sleep 0.1
  done
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
}

# show_failure_logs FILE...: tail of each non-empty file to stderr.
show_failure_logs() {
  local f
  for f in "$@"; do
    [[ -s $f ]] || continue
    printf '\n----- tail of %s -----\n' "$f" >&2
    tail -n 60 "$f" >&2
  done
  printf '%s\n' "-----" >&2
}

# One start attempt with the current PORT/DATA. Returns 0 ready, 1 failure, 2 bind failure.
start_once() {
  local fresh=1 cport pid cluster_id deadline t0=$SECONDS
  if [[ -f $DATA/$MARKER && $(get_val KEPT "$DATA/instance.env") == 1 &&
    -f $DATA/kraft-logs/meta.properties ]]; then
    fresh=0
    REUSED_KEPT=1
    cport=$(get_val CONTROLLER_PORT "$DATA/instance.env")
    log "reusing kept data dir $DATA"
  fi
  if ((fresh)); then
    if [[ -e $DATA && -z $(ls -A "$DATA" 2>/dev/null) ]]; then
      rmdir "$DATA"   # an empty dir handed in via RASD_KAFKA_DATA
    elif [[ -e $DATA ]]; then
      [[ -f $DATA/$MARKER ]] || die "$DATA exists, is not empty and was not created by kafka.sh; refusing to wipe it"
      local stale_cds
      stale_cds=$(get_val CDS_TMP "$DATA/instance.env")
      [[ -n $stale_cds ]] && rm -f "$stale_cds"
      rm -rf "$DATA"
    fi
    mkdir -p "$DATA/logs"
    : >"$DATA/$MARKER"
    cport=$(pick_free_port "$PORT")
  fi
  port_in_use "$cport" && { log "controller port $cport is in use"; return 2; }

  write_config "$cport"
  {
    echo "PORT=$PORT"
    echo "CONTROLLER_PORT=$cport"
    echo "KAFKA_VERSION=$KAFKA_VERSION"
    # A kept data dir stays kept until a stop without --keep: a start that fails must not
    # turn it into a throw-away one.
    ((fresh)) || echo "KEPT=1"
  } >"$DATA/instance.env"

  if ((fresh)); then
    cluster_id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    while [[ $cluster_id == -* ]]; do
      cluster_id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    done
    if ! tool_java kafka.tools.StorageTool format --standalone -t "$cluster_id" \
      -c "$DATA/server.properties" >"$DATA/logs/format.log" 2>&1; then
      log "storage format failed"
      show_failure_logs "$DATA/logs/format.log"
      return 1
    fi
  fi

  local cds_opts=() cds_tmp=
  if [[ $CDS == 1 ]]; then
    if [[ -s $CDS_ARCHIVE ]]; then
      cds_opts=(-XX:SharedArchiveFile="$CDS_ARCHIVE")
    else
      cds_tmp=$CDS_ARCHIVE.tmp.$$.$RANDOM
      cds_opts=(-XX:ArchiveClassesAtExit="$cds_tmp")
      echo "CDS_TMP=$cds_tmp" >>"$DATA/instance.env"
    fi
    cds_opts+=(-Xlog:cds=off -Xlog:cds+dynamic=off)
  fi

  # shellcheck disable=SC2086
  nohup "$JAVA" $HEAP "${cds_opts[@]}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
    -Xshare:auto -Djava.awt.headless=true \
    -Dkafka.logs.dir="$DATA/logs" \
    -Dlog4j2.configurationFile="$SCRIPT_DIR/log4j2-broker.xml" \
    -Drasd.kafka.log.level="$LOG_LEVEL" \
    ${RASD_KAFKA_JVM_OPTS:-} \
    -cp "$(classpath)" kafka.Kafka "$DATA/server.properties" \
    >"$DATA/logs/broker.out" 2>&1 </dev/null 8>&- 9>&- &
  pid=$!
  echo "$pid" >"$DATA/kafka.pid"
  echo "PID=$pid" >>"$DATA/instance.env"

  deadline=$((SECONDS + START_TIMEOUT))
  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid" 2>/dev/null || true
      if grep -qsE 'BindException|Address already in use' "$DATA/logs/server.log" "$DATA/logs/broker.out"; then
        log "broker could not bind its ports"
        return 2
      fi
      log "broker process exited during startup"
      show_failure_logs "$DATA/logs/broker.out" "$DATA/logs/server.log"
      return 1
    fi
    if probe_metadata "$PORT"; then
      break
    fi
    if ((SECONDS >= deadline)); then
      log "broker not answering on $HOST:$PORT after ${START_TIMEOUT}s"
      show_failure_logs "$DATA/logs/broker.out" "$DATA/logs/server.log"
      log "killing broker pid $pid"
      stop_pid "$pid"
      return 1
    fi
    sleep 0.2
  done
  log "Kafka $KAFKA_VERSION ready on $HOST:$PORT (pid $pid, controller $HOST:$cport, data $DATA, $((SECONDS - t0))s)"
  return 0
}

cmd_start() {
  java_check
  cmd_fetch quiet
  mkdir -p "$RUN_ROOT"
  local attempt rc auto=0
  is_auto_port && auto=1
  if ((!auto)); then
    resolve_instance
    lock_port "$PORT" -w "$LOCK_WAIT" || die "timed out waiting for another kafka.sh working on port $PORT"
    if pid_alive "$(instance_pid)"; then
      log "already running on $HOST:$PORT (pid $(instance_pid))"
      echo "$HOST:$PORT"
      return 0
    fi
    warn_ephemeral "$PORT"
    port_in_use "$PORT" && die "port $PORT on this machine is already in use by another process"
  fi
  for attempt in 1 2 3; do
    if ((auto)); then
      if [[ -n ${RASD_KAFKA_DATA:-} && -f $RASD_KAFKA_DATA/instance.env ]]; then
        DATA=$RASD_KAFKA_DATA
        PORT=$(get_val PORT "$DATA/instance.env")
        if pid_alive "$(instance_pid)"; then
          log "already running on $HOST:$PORT (pid $(instance_pid))"
          echo "$HOST:$PORT"
          return 0
        fi
        if [[ $(get_val KEPT "$DATA/instance.env") != 1 ]] || port_in_use "$PORT"; then
          PORT=$(pick_free_port)
        fi
      else
        # Reuse the last auto instance only if it was stopped with --keep.
        local last
        last=$(cat "$RUN_ROOT/last-auto" 2>/dev/null || true)
        if [[ $attempt == 1 && -n $last && -z ${RASD_KAFKA_DATA:-} &&
          $(get_val KEPT "$RUN_ROOT/$last/instance.env") == 1 ]] && ! port_in_use "$last"; then
          PORT=$last
        else
          PORT=$(pick_free_port)
        fi
        DATA=${RASD_KAFKA_DATA:-$RUN_ROOT/$PORT}
      fi
      # Another concurrent auto start picked the same port: pick again.
      lock_port "$PORT" -n || continue
    fi
    rc=0
    start_once || rc=$?
    if ((rc == 0)); then
      ((auto)) && echo "$PORT" >"$RUN_ROOT/last-auto"
      echo "$HOST:$PORT"
      return 0
    fi
    if ((rc == 2 && attempt < 3)); then
      log "port clash (attempt $attempt); retrying with a different port"
      # Only a data dir this attempt created is thrown away, never one kept with --keep.
      if ((!REUSED_KEPT)) && [[ -f $DATA/$MARKER && -z ${RASD_KAFKA_DATA:-} ]]; then
        rm -rf "$DATA"
      fi
      REUSED_KEPT=0
      continue
    fi
    ((rc == 2)) && show_failure_logs "$DATA/logs/broker.out" "$DATA/logs/server.log"
    break
  done
  die "start failed (logs kept in $DATA/logs)"
}

# ---------------------------------------------------------------------------------------
# stop / status / misc

stop_instance() {
  local keep=$1 pid
  lock_port "$PORT" -w "$LOCK_WAIT" || die "timed out waiting for another kafka.sh working on port $PORT"
  pid=$(instance_pid)
  if pid_alive "$pid"; then
    local t0=$SECONDS
    stop_pid "$pid"
    log "stopped broker on $HOST:$PORT (pid $pid, $((SECONDS - t0))s)"
  else
    log "no running broker for $HOST:$PORT"
  fi
  local cds_tmp
  cds_tmp=$(get_val CDS_TMP "$DATA/instance.env")
  if [[ -n $cds_tmp ]]; then
    # The broker wrote its class archive on clean exit; publish it atomically.
    if [[ $STOP_KILLED == 0 && -s $cds_tmp && ! -e $CDS_ARCHIVE ]]; then
      mv -f "$cds_tmp" "$CDS_ARCHIVE" && log "saved class-data-sharing archive $CDS_ARCHIVE"
    fi
    rm -f "$cds_tmp"
    [[ -f $DATA/instance.env ]] && sed -i '/^CDS_TMP=/d' "$DATA/instance.env"
  fi
  if [[ -f $DATA/$MARKER ]]; then
    if ((keep)); then
      sed -i '/^KEPT=/d; /^PID=/d' "$DATA/instance.env"
      echo "KEPT=1" >>"$DATA/instance.env"
      rm -f "$DATA/kafka.pid"
      log "kept data dir $DATA"
    else
      rm -rf "$DATA"
    fi
  fi
  if [[ $(cat "$RUN_ROOT/last-auto" 2>/dev/null || true) == "$PORT" && ! -d $DATA ]]; then
    rm -f "$RUN_ROOT/last-auto"
  fi
}

cmd_stop() {
  local keep=0 all=0 arg d
  [[ $KEEP == 1 ]] && keep=1
  for arg in "$@"; do
    case $arg in
      --keep) keep=1 ;;
      --all) all=1 ;;
      *) die "stop: unknown argument '$arg'" ;;
    esac
  done
  if ((all)); then
    shopt -s nullglob
    for d in "$RUN_ROOT"/*/; do
      d=${d%/}
      [[ -f $d/$MARKER ]] || continue
      DATA=$d
      PORT=$(get_val PORT "$DATA/instance.env")
      PORT=${PORT:-$(basename "$d")}
      stop_instance "$keep"
    done
    return 0
  fi
  if is_auto_port && [[ -z ${RASD_KAFKA_DATA:-} && ! -f $RUN_ROOT/last-auto ]]; then
    log "no auto-started instance to stop"
    return 0
  fi
  resolve_instance
  stop_instance "$keep"
}

cmd_status() {
  resolve_instance
  local pid
  pid=$(instance_pid)
  if pid_alive "$pid"; then
    if probe_metadata "$PORT"; then
      echo "running pid=$pid bootstrap=$HOST:$PORT version=$(get_val KAFKA_VERSION "$DATA/instance.env") data=$DATA"
      return 0
    fi
    echo "running-not-answering pid=$pid bootstrap=$HOST:$PORT data=$DATA"
    return 1
  fi
  if [[ $(get_val KEPT "$DATA/instance.env") == 1 ]]; then
    echo "stopped (data kept) bootstrap=$HOST:$PORT data=$DATA"
  else
    echo "stopped bootstrap=$HOST:$PORT"
  fi
  return 1
}

cmd_bootstrap() {
  resolve_instance
  echo "$HOST:$PORT"
}

cmd_logs() {
  resolve_instance
  [[ -f $DATA/logs/server.log ]] || die "no log at $DATA/logs/server.log"
  tail -n "${1:-100}" "$DATA/logs/server.log"
}

cmd_run_class() {
  [[ $# -ge 1 ]] || die "run-class needs a CLASS"
  cmd_fetch quiet
  tool_java "$@"
}

# Tool shortcut: CLASS, then args; adds --bootstrap-server unless present.
cmd_tool() {
  local cls=$1 a
  shift
  for a in "$@"; do
    if [[ $a == --bootstrap-server || $a == --bootstrap-server=* ]]; then
      cmd_run_class "$cls" "$@"
      return
    fi
  done
  resolve_instance
  cmd_run_class "$cls" --bootstrap-server "$HOST:$PORT" "$@"
}

main() {
  local cmd=${1:-}
  [[ $# -gt 0 ]] && shift
  case $cmd in
    fetch) cmd_fetch "$@" ;;
    fetched) libs_ready ;;
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    status) cmd_status "$@" ;;
    bootstrap) cmd_bootstrap "$@" ;;
    logs) cmd_logs "$@" ;;
    run-class) cmd_run_class "$@" ;;
    topics) cmd_tool org.apache.kafka.tools.TopicCommand "$@" ;;
    console-producer) cmd_tool org.apache.kafka.tools.ConsoleProducer "$@" ;;
    console-consumer) cmd_tool org.apache.kafka.tools.consumer.ConsoleConsumer "$@" ;;
    api-versions) cmd_tool org.apache.kafka.tools.BrokerApiVersionsCommand "$@" ;;
    consumer-groups) cmd_tool org.apache.kafka.tools.consumer.group.ConsumerGroupCommand "$@" ;;
    transactions) cmd_tool org.apache.kafka.tools.TransactionsCommand "$@" ;;
    producer-perf) cmd_run_class org.apache.kafka.tools.ProducerPerformance "$@" ;;
    smoke) exec bash "$SCRIPT_DIR/smoke.sh" "$@" ;;
    -h | --help | help) usage ;;
    "") usage >&2; exit 2 ;;
    *) log "unknown command '$cmd'"; usage >&2; exit 2 ;;
  esac
}

main "$@"
