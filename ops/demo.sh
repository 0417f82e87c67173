#!/usr/bin/env bash
# First command of the README: set everything up, then run the service on a local Kafka with the
# seeds flowing through it and print the enriched events. Extra arguments go to `rasd demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ops/setup.sh
read -r -a UV < .cache/uv-command
exec "${UV[@]}" run --frozen rasd demo "$@"
