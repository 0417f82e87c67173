#!/usr/bin/env bash
# End-to-end check of ops/kafka/kafka.sh using only the Kafka CLI classes (no Python):
# start a broker (RASD_KAFKA_PORT, default auto), create a topic, produce + consume one
# message through a consumer group, produce transactionally and read it back with
# read_committed, then stop and check the data dir is gone.
set -euo pipefail

K=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)/kafka.sh
export RASD_KAFKA_PORT=${RASD_KAFKA_PORT:-auto}

passed=0
failed=0
ok() { echo "PASS: $*"; passed=$((passed + 1)); }
bad() { echo "FAIL: $*"; failed=$((failed + 1)); }

if [[ $RASD_KAFKA_PORT != auto && $RASD_KAFKA_PORT != 0 ]] && "$K" status >/dev/null 2>&1; then
  echo "smoke.sh: a broker is already running on port $RASD_KAFKA_PORT; not touching it" >&2
  exit 1
fi

t0=$(date +%s.%N)
bootstrap=$("$K" start)
t1=$(date +%s.%N)
export RASD_KAFKA_PORT=${bootstrap##*:}
ok "start -> $bootstrap ($(awk "BEGIN{printf \"%.1f\", $t1-$t0}")s)"

stopped=0
cleanup() { ((stopped)) || "$K" stop || true; }
trap cleanup EXIT

data_dir=$("$K" status | sed -n 's/.* data=//p')
if "$K" status >/dev/null; then ok "status reports running"; else bad "status"; fi
[[ $("$K" bootstrap) == "$bootstrap" ]] && ok "bootstrap prints $bootstrap" || bad "bootstrap"

if "$K" api-versions | grep -q 'Produce(0)'; then ok "BrokerApiVersionsCommand answers"; else bad "api-versions"; fi

nonce=$RANDOM$RANDOM
topic=smoke-$nonce
"$K" topics --create --topic "$topic" --partitions 3 >/dev/null
if "$K" topics --describe --topic "$topic" | grep -q 'PartitionCount: 3'; then
  ok "created topic $topic with 3 partitions"
else
  bad "topic create/describe"
fi

msg="hello-$nonce"
echo "$msg" | "$K" console-producer --topic "$topic"
got=$("$K" console-consumer --topic "$topic" --group "smoke-group-$nonce" --from-beginning \
  --max-messages 1 --timeout-ms 20000 2>/dev/null || true)
[[ $got == "$msg" ]] && ok "produced and consumed '$msg' via consumer group" || bad "consume got '$got'"

# Exactly-once: transactional producer + read_committed consumer.
tx_topic=smoke-tx-$nonce
"$K" producer-perf --topic "$tx_topic" --num-records 100 --record-size 32 --throughput -1 \
  --producer-props bootstrap.servers="$bootstrap" acks=all \
  --transactional-id "smoke-tx-$nonce" --transaction-duration-ms 50 >/dev/null
n=$("$K" console-consumer --topic "$tx_topic" --from-beginning --isolation-level read_committed \
  --max-messages 100 --timeout-ms 20000 2>/dev/null | wc -l)
[[ $n == 100 ]] && ok "transactional produce: read_committed consumer saw $n/100 records" || bad "transactions: got $n/100"
if "$K" transactions list | grep -q "smoke-tx-$nonce"; then ok "transaction coordinator lists smoke-tx-$nonce"; else bad "transactions list"; fi

"$K" stop
stopped=1
if "$K" status >/dev/null; then bad "still running after stop"; else ok "stopped"; fi
[[ -n $data_dir && ! -e $data_dir ]] && ok "data dir removed" || bad "data dir $data_dir still there"

echo "$passed passed, $failed failed"
((failed == 0))
