"""Settings for hubportal, read from the environment (twelve-factor).

Every variable is listed with a one-line comment in `.env.example`. With no environment at all
the portal runs on its own: SQLite in the project folder, tasks in-process, mail on the console.
"""

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="insecure-development-key-not-for-production")
else:
    SECRET_KEY = env("SECRET_KEY", default="")
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (a long random string), "
            "or set DEBUG=true for local development."
        )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
ADMIN_URL = env("ADMIN_URL", default="admin/").strip("/") + "/"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "django_celery_beat",
    "django_filters",
    "django_htmx",
    "simple_history",
    "hubportal",
    "core",
    "notifications",
    "accounts",
    "schools",
    "workgroups",
    "enrolment",
    "actionplans",
    "reminders",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.access.NotFoundForDenied",
    "core.headers.PrivateAndPermissions",
    "accounts.sessions.SessionPolicy",
]

ROOT_URLCONF = "hubportal.urls"
WSGI_APPLICATION = "hubportal.wsgi.application"

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
                "hubportal.context_processors.portal",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")


def _redis_db(url: str, db: int) -> str:
    """The same Redis server as `url`, another database number (cache apart from the broker)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, parts.fragment))


def redis_cache(url: str) -> dict:
    """The cache on Redis: it fails open, with short timeouts, so a Redis blink or hang never
    holds up a page (core/cache.py)."""
    return {
        "BACKEND": "core.cache.FailOpenRedisCache",
        "LOCATION": url,
        "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3},
    }


if env("CACHE_URL", default=""):
    CACHES = {"default": env.cache("CACHE_URL")}
elif REDIS_URL:
    CACHES = {"default": redis_cache(env("REDIS_CACHE_URL", default=_redis_db(REDIS_URL, 1)))}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        # Long passphrases are welcome: twelve characters at least.
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: e-mail login, no usernames, no open sign-up (accounts come by invitation).
ACCOUNT_ADAPTER = "accounts.adapters.InvitationOnlyAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[hubportal] "
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
MFA_ADAPTER = "accounts.adapters.PortalMFAAdapter"
# An authenticator app (TOTP) or a security key / passkey (WebAuthn), with recovery codes.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG  # http://127.0.0.1 in development
MFA_TOTP_ISSUER = "hubportal"
# Authenticator secrets are encrypted with this key (the SECRET_KEY unless set): changing it
# means every authenticator has to be set up again.
MFA_ENCRYPTION_KEY = env("MFA_ENCRYPTION_KEY", default=SECRET_KEY)
# Sessions (accounts/sessions.py): staff roles 30 minutes idle and 12 hours at most; everyone
# else a day idle, or two weeks when they ticked "remember me".
SESSION_STAFF_IDLE_SECONDS = env.int("SESSION_STAFF_IDLE_SECONDS", default=30 * 60)
SESSION_STAFF_MAX_SECONDS = env.int("SESSION_STAFF_MAX_SECONDS", default=12 * 60 * 60)
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=24 * 60 * 60)
SESSION_REMEMBERED_IDLE_SECONDS = env.int(
    "SESSION_REMEMBERED_IDLE_SECONDS", default=14 * 24 * 60 * 60
)
SESSION_COOKIE_AGE = SESSION_REMEMBERED_IDLE_SECONDS
INVITATION_MAX_AGE_DAYS = env.int("INVITATION_MAX_AGE_DAYS", default=14)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: the console in development unless EMAIL_URL says otherwise.
EMAIL_CONFIG = env.email_url(
    "EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25"
)
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="hubportal <no-reply@hubportal.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis when REDIS_URL is set; otherwise tasks run eagerly in this process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
# No result backend: nothing reads tasks' results (a test that does sets its own).
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
# In-process tasks behave as on a worker: a failing task is logged and retried, and never
# turns the request that enqueued it into an error page.
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=600)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=540)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# The outbox: how it retries and recovers (README, "When something fails"). In seconds.
# First retry delay of a failing e-mail; it doubles on each quick attempt (10 s, 20 s, 40 s, 80 s).
NOTIFICATION_RETRY_BASE_SECONDS = env.int("NOTIFICATION_RETRY_BASE_SECONDS", default=10)
# After the quick attempts, a mail is tried again this often, for OUTBOX_GIVE_UP_SECONDS after it
# was recorded; only then is it failed for good (and the hub's leads told in their digest).
OUTBOX_SLOW_RETRY_SECONDS = env.int("OUTBOX_SLOW_RETRY_SECONDS", default=30 * 60)
OUTBOX_GIVE_UP_SECONDS = env.int("OUTBOX_GIVE_UP_SECONDS", default=24 * 60 * 60)
# A worker's claim on a mail it is sending; a claim left by a dead worker lapses after this.
OUTBOX_LEASE_SECONDS = env.int("OUTBOX_LEASE_SECONDS", default=120)
# The sweep that hands Celery every mail due and every lapsed claim runs this often (beat).
OUTBOX_SWEEP_SECONDS = env.int("OUTBOX_SWEEP_SECONDS", default=60)
# An expression of interest still waiting for its check this long is handed over again (its
# task was lost); the sweep that does it runs every EOI_CHECK_SWEEP_SECONDS.
EOI_CHECK_AFTER_SECONDS = env.int("EOI_CHECK_AFTER_SECONDS", default=3 * 60)
EOI_CHECK_SWEEP_SECONDS = env.int("EOI_CHECK_SWEEP_SECONDS", default=60)
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {"task": "notifications.tasks.sweep_outbox", "schedule": OUTBOX_SWEEP_SECONDS},
    "eoi-check-sweep": {
        "task": "enrolment.tasks.sweep_eoi_checks",
        "schedule": EOI_CHECK_SWEEP_SECONDS,
    },
    # A subject access export whose task a broker blink lost is built within minutes anyway.
    "subject-access-sweep": {"task": "reports.tasks.sweep_subject_access", "schedule": 5 * 60},
}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A task taken by a worker that died goes back to the queue after this; the sweep is quicker.
    "visibility_timeout": 10 * 60,
    # A broker that is down or hung answers a request's hand-over within a second (the row is
    # saved, and the sweep hands it over again).
    "socket_connect_timeout": 0.5,
    "socket_timeout": 0.5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 0.5
# Beat goes on through a database blink (hubportal/beat.py).
CELERY_BEAT_SCHEDULER = "hubportal.beat:SteadyDatabaseScheduler"

# Content-Security-Policy: no inline scripts or styles anywhere; everything is served from here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Sessions live in the database alone: a signed-in page never depends on the cache.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
