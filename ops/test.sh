#!/usr/bin/env bash
# Second command of the README (and what CI runs): set up, then lint, type-check, check the
# generated files, and run the whole test suite, integration tests on a real local Kafka included.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ops/setup.sh
read -r -a UV < .cache/uv-command
RUN=("${UV[@]}" run --frozen)

# docker-compose.yml is validated with Debian's docker-compose (no Docker engine needed), and the
# dashboards and alert rules against Debian's Prometheus (prometheus, promtool).
have_tools() { command -v docker-compose && command -v prometheus && command -v promtool; }
if ! have_tools >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "▶ installing Debian's docker-compose and prometheus (for their tests)"
  (apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose prometheus >/dev/null) \
    || echo "  (could not install them; the tests that need them will say so)"
fi

echo "▶ ruff";   "${RUN[@]}" ruff check services tests
"${RUN[@]}" ruff format --check services tests
echo "▶ mypy";   "${RUN[@]}" mypy
echo "▶ schemas"; "${RUN[@]}" rasd schemas --check
echo "▶ pytest"
exec "${RUN[@]}" pytest "$@"
