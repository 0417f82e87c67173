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
ENTRYPOINT ["rasd"]
CMD ["worker"]
