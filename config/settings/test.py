"""Test settings: base, with fast password hashing and in-memory e-mail.
DATABASE_URL / REDIS_URL still choose PostgreSQL and Redis when set."""

from .base import *  # noqa: F401,F403
from .base import VAR_DIR, env

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "test-media"))
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
ENVIRONMENT_NAME = "test"
# The cache outlives a test: a shared per-minute count must not refuse the
# previews of unrelated tests (tests/letters/test_preview_pdf.py sets its own).
PDF_PREVIEWS_PER_MINUTE = 1000
