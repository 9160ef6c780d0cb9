# Production-like image: gunicorn serves the app, WhiteNoise the static files.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# Production settings: the container refuses to start without a real
# DJANGO_SECRET_KEY (and DJANGO_ALLOWED_HOSTS); it never runs with DEBUG.
ENV DJANGO_SETTINGS_MODULE=config.settings.production
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation \
      nodejs npm curl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY pyproject.toml ./
COPY . .
RUN pip install . \
 && DJANGO_SETTINGS_MODULE=config.settings.base python manage.py collectstatic --noinput

RUN useradd --create-home casework && mkdir -p /app/var && chown -R casework /app/var
USER casework
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
