# syntax=docker/dockerfile:1
# The portal's image: every process of the Procfile runs from it (compose.yaml sets
# each service's command; the default is the Procfile's `web`).
#   docker build -t dealer-portal .
# Not built by the tests (no container runtime there): tests/portal/test_deploy_files.py
# keeps its command and compose.yaml's equal to the Procfile's.

# --- build: dependencies from uv.lock, static files and compiled messages --------------
FROM python:3.13-slim-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext \
 && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir "uv==0.13.*"
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen --no-dev --no-install-project
COPY . .
# Production settings refuse a short SECRET_KEY: this one never leaves the build.
RUN SECRET_KEY=build-only-collectstatic-and-compilemessages-0123456789abcdef \
    DJANGO_SETTINGS_MODULE=portal.settings.production \
    sh -c '.venv/bin/python manage.py collectstatic --no-input -v 0 \
        && .venv/bin/python manage.py compilemessages --ignore=.venv -v 0'

# --- run: the same tree without the build tools, as a user of its own ------------------
FROM python:3.13-slim-bookworm AS run
RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home portal \
 && mkdir -p /app/media /app/private /tmp/prometheus \
 && chown portal:portal /app/media /app/private /tmp/prometheus
WORKDIR /app
COPY --from=build --chown=root:root /app /app
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=portal.settings.production \
    HOST=0.0.0.0 \
    PORT=8000
USER portal
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ['PORT']}/healthz\", timeout=2)"]
CMD ["python", "manage.py", "serve", "--no-worker"]
