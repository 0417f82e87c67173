#!/usr/bin/env bash
# Second command of the README (and what CI runs): set up, then lint, type-check, check the
# generated files, and run the whole test suite, integration tests on a real local Kafka included.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ops/setup.sh
read -r -a UV < .cache/uv-command
RUN=("${UV[@]}" run --frozen)

# docker-compose.yml is validated with Debian's docker-compose (no Docker engine needed).
if ! command -v docker-compose >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "▶ installing Debian's docker-compose to validate docker-compose.yml"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null) \
    || echo "  (could not install docker-compose; its test will say so)"
fi

echo "▶ ruff";   "${RUN[@]}" ruff check services tests
"${RUN[@]}" ruff format --check services tests
echo "▶ mypy";   "${RUN[@]}" mypy
echo "▶ schemas"; "${RUN[@]}" rasd schemas --check
echo "▶ pytest"
exec "${RUN[@]}" pytest "$@"
