# Rasd worker/producer image: the locked environment, without torch (see README).
FROM python:3.11-slim
COPY --from=ghcr.io/astral-sh/uv:0.13.9 /uv /usr/local/bin/uv
WORKDIR /app
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy PATH="/app/.venv/bin:$PATH"
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY services ./services
COPY schemas ./schemas
COPY seeds ./seeds
RUN uv sync --frozen --no-dev
# In a container the metrics and health endpoint must be reachable from Prometheus.
ENV RASD_WEB_HOST=0.0.0.0 RASD_WEB_PORT=6066 RASD_DATA_DIR=/tmp/rasd
EXPOSE 6066
ENTRYPOINT ["rasd"]
CMD ["worker"]
