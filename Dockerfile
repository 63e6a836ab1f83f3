# syntax=docker/dockerfile:1
# Tandem's production image: gunicorn serves Django, whitenoise serves the static files.
# The same image runs the web, migrate, worker and beat services of docker-compose.yml.

FROM python:3.12-slim AS base
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production
WORKDIR /app
# Dependencies first, so a code change does not reinstall them; hashes make the install exact.
COPY requirements/base.lock requirements/base.lock
RUN pip install --require-hashes -r requirements/base.lock


# Build-time work that needs tools the running image does not.
FROM base AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
COPY . .
# A throwaway key: production settings refuse to load without one, and nothing built here
# is signed with it.
RUN export DJANGO_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(48))')" \
    && if find . -path '*/locale/*' -name '*.po' | grep -q .; then \
         python manage.py compilemessages --verbosity 0; \
       fi \
    && python manage.py collectstatic --noinput --verbosity 0


FROM base AS app
RUN groupadd --system --gid 10001 tandem \
    && useradd --system --uid 10001 --gid tandem --no-create-home \
       --home-dir /nonexistent --shell /usr/sbin/nologin tandem
# Code and static files stay owned by root: the process that serves them cannot change them.
COPY --from=build /app /app
USER 10001:10001
EXPOSE 8000
# gunicorn reads WEB_CONCURRENCY for its worker count.
ENV WEB_CONCURRENCY=3
# Access and error logs (a 500's traceback included) go to stdout and stderr, where the
# container runtime keeps them.
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--error-logfile", "-", "--capture-output"]
