# The production image: web (gunicorn), worker and beat all run from it; see docker-compose.yml.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    VAR_DIR=/data \
    STATIC_ROOT=/app/staticfiles

# WeasyPrint renders the letters with Pango and HarfBuzz.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Dependencies first, so that a code change does not reinstall them.
COPY pyproject.toml README.md ./
RUN pip install .
COPY . .
RUN pip install --no-deps -e . \
    && DJANGO_SECRET_KEY=collectstatic-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz \
       DATABASE_URL=sqlite:////tmp/unused.sqlite3 DJANGO_ALLOWED_HOSTS=build VAR_DIR=/tmp/var \
       python manage.py collectstatic --noinput \
    && useradd --system --home-dir /app cchc \
    && mkdir -p /data && chown cchc /data

USER cchc
VOLUME ["/data"]
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--worker-class", "gthread", "--workers", "3", "--threads", "2", "--access-logfile", "-"]
