"""Production settings: everything in base, hardened. Must pass
`manage.py check --deploy --fail-level WARNING`.

These are the default for every process that serves traffic (config.wsgi,
config.celery, the Docker image): they refuse to start without a real
secret key, so a server can never fall back to DEBUG or to a key that is
in the repository."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import DEV_SECRET_KEY, env

DEBUG = False
ENVIRONMENT_NAME = env("ENVIRONMENT_NAME", default="production")


def _real_secret_key(key: str) -> str:
    """The key, if it is one nobody else knows: set, not the development
    key, and as strong as Django's deployment check asks (50 characters, 5
    distinct, not a generated 'django-insecure-' one)."""
    if not key:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Production settings (the default for the web server, the Celery "
            "worker and the Docker image) need a secret key of at least 50 random characters, e.g. "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'. "
            "For development, set DJANGO_SETTINGS_MODULE=config.settings.base (make run does).")
    if key == DEV_SECRET_KEY or key.startswith("django-insecure-"):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is the development key from the repository: production settings refuse it. "
            "Set a secret key of at least 50 random characters.")
    if len(key) < 50 or len(set(key)) < 5:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is too weak: production settings need at least 50 characters with at least "
            "5 different ones.")
    return key


SECRET_KEY = _real_secret_key(env("DJANGO_SECRET_KEY", default=""))
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True

# E-mail to ICE, PHSO and colleagues goes out through SMTP.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
