# Milestone Bot: `docker build -t milestone-bot .` then `docker compose up` (see compose.yaml and README).
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=3000

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY storage ./storage
RUN pip install . \
    && useradd --create-home --uid 10001 app

USER app
EXPOSE 3000

# No curl in a slim image: Python fetches /healthz (200 while the database answers).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request; sys.exit(0 if urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('PORT', '3000')}/healthz\", timeout=4).status == 200 else 1)"]

# SIGTERM (docker stop) lets in-flight work finish; exec form, so the server gets it as PID 1.
STOPSIGNAL SIGTERM
CMD ["python", "-m", "bot", "serve"]
