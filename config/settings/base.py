"""Settings shared by every environment, read from the environment.

With no environment at all the app runs on a SQLite file and a filesystem
Celery broker, so `make run` works on a bare machine; DATABASE_URL and
CELERY_BROKER_URL / REDIS_URL switch to PostgreSQL and Redis.
"""

from pathlib import Path
from typing import Any

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)  # SQLite file, filesystem broker, media in development

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# The development key is in the repository, so it is known to everyone:
# production settings refuse it (config.settings.production).
DEV_SECRET_KEY = "dev-only-not-secret-7b0d3c2f9a4e4d0f8e1a"
SECRET_KEY = env("DJANGO_SECRET_KEY", default=DEV_SECRET_KEY)
DEBUG = env.bool("DJANGO_DEBUG", default=True)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Shown in the phase banner outside production.
ENVIRONMENT_NAME = env("ENVIRONMENT_NAME", default="development")
SERVICE_NAME = "Complaints casework"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # widget templates for FORM_RENDERER below
    "django_fsm",
    "guardian",
    "axes",
    "csp",
    "django_tables2",
    "django_filters",
    "django_celery_beat",
    "accounts",
    "complaints",
    "sla",
    "letters",
    "ice",
    "phso",
    "casework",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.static.GovukAssetsWhiteNoiseMiddleware",
    # After WhiteNoise (static files stay cacheable), before everything else,
    # so every page, error page, lockout page, CSV and PDF gets no-store.
    "config.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After MessageMiddleware: it tells the user why they were signed out.
    "accounts.middleware.IdleTimeoutMiddleware",
    # After auth and messages, so its 400 page is the ordinary signed-in layout.
    "config.middleware.RejectNullCharactersMiddleware",
    # A busy row (lock timeout) is a 503 "try again", not a 500.
    "config.middleware.BusyDatabaseMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.service",
                # After Django's built-in one, whose token it replaces.
                "accounts.http.csrf",
            ],
        },
    },
    {
        # The hot pages' content (config.jinja2), included by the Django
        # templates with {% jinja %}; found in each app's jinja2/ folder.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "APP_DIRS": True,
        "OPTIONS": {"environment": "config.jinja2.environment"},
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A web server, a worker and beat share the file: wait for locks instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # Covering indexes (INCLUDE) are for PostgreSQL; SQLite ignores the extra columns.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
else:
    # No JIT: the planner's estimates for the pages' subqueries pass its cost
    # threshold, and compiling took 18 ms for a query that runs in 2 ms.
    # A row held FOR UPDATE by someone else is waited for at most
    # DB_LOCK_TIMEOUT_MS, then the user is told to try again
    # (config.middleware.BusyDatabaseMiddleware, complaints RowBusy); no
    # statement runs longer than DB_STATEMENT_TIMEOUT_MS, well inside
    # gunicorn's 30 s worker timeout. Bulk maintenance (seed_volume) lifts
    # the statement limit for its own session.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", f"-c jit=off -c lock_timeout={env.int('DB_LOCK_TIMEOUT_MS', default=3000)} "
                   f"-c statement_timeout={env.int('DB_STATEMENT_TIMEOUT_MS', default=20000)}")
    # Parameters bound by the server, and a statement run a fifth time on a
    # connection kept prepared there (psycopg's prepare_threshold): planning
    # was most of the database's time on the pages, and every page repeats
    # the same statements. PostgreSQL still plans a kept statement anew
    # where it judges its one plan dearer (pg_prepared_statements.custom_plans;
    # sla.selectors._InArray). Not for a transaction-pooling PgBouncer,
    # which cannot keep a session's prepared statements.
    DATABASES["default"]["OPTIONS"]["server_side_binding"] = True
    DATABASES["default"]["OPTIONS"].setdefault("prepare_threshold", 5)
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    # Axes first so a locked-out user is refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.RoleGroupBackend",  # ModelBackend, groups read once
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"  # My work, or the letter library for a letter admin
LOGOUT_REDIRECT_URL = "login"

# Sessions: at most 12 hours in all, and signed out after 30 idle minutes
# (accounts.middleware.IdleTimeoutMiddleware enforces the idle limit).
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_IDLE_TIMEOUT = 30 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Login rate limiting (accounts.lockout): 10 failures within 15 minutes
# from one client address, whatever the usernames (password spraying), or
# against one username, from whatever addresses, lock that address or that
# username out for 15 minutes. Kept in the database, not the cache.
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_RESET_ON_SUCCESS = True
# The client address (django-ipware). Behind a reverse proxy, every request
# comes from the proxy's address: set CLIENT_IP_HEADER to the header the
# proxy fills in (e.g. HTTP_X_FORWARDED_FOR) and CLIENT_IP_PROXIES to the
# number of proxies that append to it (1 for one nginx). The address is
# counted from the right-hand end of that header — the one the nearest
# proxy saw — so whatever a client writes into the header itself is
# ignored. Only set it when every request reaches the app through those
# proxies. Unset, REMOTE_ADDR is the address and the header is never read.
CLIENT_IP_HEADER = env("CLIENT_IP_HEADER", default="")
AXES_IPWARE_META_PRECEDENCE_ORDER: tuple[str, ...]
if CLIENT_IP_HEADER:
    AXES_IPWARE_META_PRECEDENCE_ORDER = (CLIENT_IP_HEADER, "REMOTE_ADDR")
    AXES_IPWARE_PROXY_COUNT = max(env.int("CLIENT_IP_PROXIES", default=1) - 1, 0)
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
    AXES_IPWARE_PROXY_COUNT = None
AXES_IPWARE_PROXY_ORDER = "left-most"
# Not strict: a header with extra (client-written) entries on its left still
# gives the address the proxies recorded, rather than being dropped for
# REMOTE_ADDR (the proxy's own address, shared by everyone).
IPWARE_STRICT = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

# django-guardian: no anonymous user row; object permissions are the exception
# (confidential SRs), queues are scoped by team foreign keys.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"

# Widgets render with the project's templates (templates/govuk/widgets/…).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns when it is missing (before collectstatic)
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end packages are served straight from node_modules (installed by
# `make`), never copied into the repository.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("govuk", NODE_MODULES / "govuk-frontend" / "dist" / "govuk"),
    ("moj", NODE_MODULES / "@ministryofjustice" / "frontend" / "moj"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "/media/"

# Content security policy (django-csp 4): only our own origin; inline JS is
# never needed because GOV.UK Frontend is initialised from a static file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"  # no page of ours is meant to be framed

# Celery: Redis when configured, otherwise a filesystem broker that needs no
# server, so the embedded default still runs a real worker and beat.
REDIS_URL = env("REDIS_URL", default="")

# The cache (Redis when there is one) holds nothing that is the only copy:
# config.cache.ResilientRedisCache treats Redis being unreachable as a miss,
# with short timeouts, so an outage slows nothing down and breaks nothing.
CACHES = {
    "default": {"BACKEND": "config.cache.ResilientRedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "casework",
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}
    if REDIS_URL else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
# Sessions live in the database only, never in the cache: signing in and
# every page keep working with Redis down, and a session signed out (or
# expired) while Redis was unreachable cannot come back from a stale cached
# copy when it returns. (One indexed query per page.)
SESSION_ENGINE = "config.sessions"  # the database store, its read compiled once
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery-broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery-processed"),
        # Broadcast (control) messages too, else kombu writes ./control/.
        "control_folder": str(VAR_DIR / "celery-control"),
        "store_processed": False,
        # How often an idle worker looks for work (kombu's default is every
        # second); also how soon it notices it is asked to stop.
        "polling_interval": 0.2,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Publishing must not hang a request when the broker is down: fail fast, the
# outbox relay republishes later.
CELERY_BROKER_TRANSPORT_OPTIONS.setdefault("max_retries", 1)
CELERY_BEAT_SCHEDULE = {
    # The scan itself skips days that are not working days (bank holidays).
    "scan-deadlines": {
        "task": "sla.scan_deadlines",
        "schedule": crontab(minute="*/15", hour="6-20", day_of_week="mon-fri"),
    },
    # Republishes letters whose render task never reached the broker.
    "relay-letter-outbox": {"task": "letters.relay_outbox", "schedule": 60.0},
    # Forgets the once-per-form tokens of forms sent more than a week ago.
    "purge-form-submissions": {"task": "complaints.purge_form_submissions", "schedule": crontab(minute=10, hour=2)},
}

# New PDF previews one user may have rendered in the web process a minute
# (letters.preview; a preview of unchanged content is reused, not counted).
PDF_PREVIEWS_PER_MINUTE = env.int("PDF_PREVIEWS_PER_MINUTE", default=6)

# E-mail stays on the console unless configured; tests use locmem.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="complaints-casework@localhost")
# Who steps e-mail, by name: (how the timeline names them, address). Each
# address can be set with MAILBOX_<NAME>, e.g. MAILBOX_ICE.
_MAILBOXES = {
    "ice": ("the Independent Case Examiner", "casework@ice.example.gov.uk"),
    "internal_ice": ("the internal ICE team", "internal-ice@casework.example.gov.uk"),
    "phso": ("the Parliamentary and Health Service Ombudsman", "casework@phso.example.org.uk"),
    "ni_ombudsman": ("the NI Public Services Ombudsman", "casework@nipso.example.org.uk"),
    "head_of_complaints_review": ("the Head of Complaints Review", "hocr@casework.example.gov.uk"),
    "client_government_relations": ("the head of client and government relations",
                                    "cgr@casework.example.gov.uk"),
    "dg_operations": ("the Director General Operations", "dg-operations@casework.example.gov.uk"),
}
CASEWORK_MAILBOXES = {name: (who, env(f"MAILBOX_{name.upper()}", default=address))
                      for name, (who, address) in _MAILBOXES.items()}

DJANGO_TABLES2_TEMPLATE = "tables/govuk_table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "govuk-table"}

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own console handler (DEBUG only) and this root one both
        # printed every 403/500 traceback: Django's messages go to the root
        # handler alone.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # WeasyPrint logs every CSS property it ignores at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The filesystem broker has no host by design; kombu warns about it on
    # every connection, which would fill `make run` with noise.
    LOGGING["loggers"]["kombu.connection"] = {"level": "ERROR"}
