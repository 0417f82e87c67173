#!/usr/bin/env bash
# Install everything Rasd needs on a fresh machine, idempotently:
#   uv (from PyPI) -> the locked Python environment (.venv) -> Apache Kafka jars (Maven Central).
# Needs: python3 >= 3.11 with pip, Java 17+, Maven. Safe to run again; fast when done before.
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION="0.13.9"
if command -v uv >/dev/null 2>&1; then
  UV=(uv)
else
  if ! python3 -m uv --version >/dev/null 2>&1; then
    echo "▶ installing uv ${UV_VERSION} from PyPI"
    python3 -m pip install --quiet --disable-pip-version-check "uv==${UV_VERSION}"
  fi
  UV=(python3 -m uv)
fi

echo "▶ Python environment (uv sync --frozen; torch/transformers excluded, see README)"
"${UV[@]}" sync --frozen --quiet

echo "▶ Apache Kafka from Maven Central (cached under .cache/kafka)"
bash ops/kafka/kafka.sh fetch

# Print how to call uv for scripts that source this one.
printf '%s\n' "${UV[*]}" > .cache/uv-command
