"""Settings shared by every environment, read from environment variables.

Nothing here is a secret: local.py supplies a development key, production.py demands one.
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS: list[str] = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "simple_history",
    "django_htmx",
    "django_celery_beat",
    "axes",
    "csp",
    "minzheng",
    "org",
    "campaigns",
    "relief",
    "eldercare",
    "audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "minzheng.middleware.NoStoreForSignedInMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Right after the user is known: one audit row per write, export and refused access.
    "audit.middleware.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "org.middleware.SessionPolicyMiddleware",
    "org.middleware.PasswordPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Last, as django-axes asks: it turns a lockout into our login page with the reason.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "minzheng.urls"
WSGI_APPLICATION = "minzheng.wsgi.application"

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
                "org.context_processors.navigation",
            ],
        },
    },
]

# A SQLite file next to the code unless DATABASE_URL names another database (PostgreSQL in
# production and in CI's second run).
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A clerk's save and a background job may meet: wait for the lock instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Anonymous visitors never hold object permissions: no guardian anonymous user row.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False

# Argon2id at OWASP's m=46 MiB, t=1, p=1 (org/passwords.py says why); Django's own settings'
# hashes verify with it and are rewritten at the next login.
PASSWORD_HASHERS = [
    "org.passwords.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# 等保 password rules (org/passwords.py words the messages): 12 characters or more, three kinds
# of character, not a common password, not like the account's own details.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "org.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "org.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "org.passwords.CommonPasswordValidator"},
    {
        "NAME": "org.passwords.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "email", "phone")},
    },
    {"NAME": "org.passwords.NumericPasswordValidator"},
]
# Days a password lasts before its owner must change it (0: never expires).
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=90)

# Login lockout (django-axes): 5 failures for one username lock it for 30 minutes, whether the
# account exists or not, so the answer never tells which names are real. Counted per username
# (not per address) because bureau staff share a few NAT addresses. Retrying during the lockout
# does not extend it; the office can lift it on the user's page.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "org.auth_views.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# No banner on every manage.py command.
AXES_VERBOSE = False
# axes.W006 warns that a lockout without the address can be dodged by rotating user agents or
# cookies; a lockout keyed on the login name alone cannot be, whatever the client sends.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# The project's strings are written in Chinese, the source language, with no catalogue of our
# own (nothing calls gettext; ruff's TID251 refuses django.utils.translation). i18n stays on
# for Django's own messages (form errors, the admin) in Chinese, and with no LocaleMiddleware
# every request gets zh-hans whatever its Accept-Language, never Django's English beside ours.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")

# Uploads (org/uploads.py). No file above UPLOAD_MAX_BYTES is even kept on disk (each page has a
# lower cap of its own); a workbook or .docx may inflate to UPLOAD_MAX_EXPANDED_BYTES; a photo
# may have UPLOAD_MAX_PIXELS pixels. Form fields stay in memory up to 2.5 MB; larger files go to
# a temporary file.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=50 * 1024 * 1024)
UPLOAD_MAX_EXPANDED_BYTES = 50 * 1024 * 1024
UPLOAD_MAX_PIXELS = 40_000_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "org.uploads.CappedUploadHandler",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Sessions end after 30 minutes without a request and 12 hours after the login, whatever the
# activity (org.middleware.SessionPolicyMiddleware); the cookie goes when the browser closes.
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Accounts with no login for this many days are disabled each night (org.tasks; 0: never).
ACCOUNT_IDLE_DAYS = env.int("ACCOUNT_IDLE_DAYS", default=90)
ACCOUNT_IDLE_EXEMPT_SUPERUSERS = env.bool("ACCOUNT_IDLE_EXEMPT_SUPERUSERS", default=False)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): everything from this site only, no inline script or
# style (templates use classes and data- attributes read by static/js/app.js). data: images are
# Tabler's SVG icons in its CSS; charts set styles through the CSSOM, which CSP allows.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# Celery: with no broker configured, tasks run in-process (make run on a bare machine);
# CELERY_BROKER_URL=redis://... selects Redis, with its worker and one beat.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Longer than any task: a message is redelivered only when its worker really died.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 4 * 60 * 60}
CELERY_RESULT_EXPIRES = 24 * 60 * 60
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="dalei@localhost")

# Every handler masks ID numbers and cuts passwords and session keys (org.logfilters), Django's
# own included: they are redefined here by name, so runserver's request lines (django.server)
# and error mails go through the filter, and django's records reach the console once, through
# the root. The Celery worker logs through the same handlers instead of its own.
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "personal_data": {"()": "org.logfilters.MaskPersonalData"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["personal_data"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["personal_data"],
        },
        "mail_admins": {
            "class": "org.logfilters.MaskedAdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "personal_data"],
        },
    },
    "loggers": {
        "django": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Audit trail (audit/): rows are kept at least this many days; the application never deletes
# them, the DBA archives older ones (docs/OPERATIONS.md). Behind the TLS proxy, set
# AUDIT_TRUSTED_PROXY so the source address is the one the proxy saw (X-Forwarded-For).
AUDIT_RETENTION_DAYS = 180
AUDIT_TRUSTED_PROXY = env.bool("AUDIT_TRUSTED_PROXY", default=False)

# The demo bureau's shared password; seed_demo refuses to run under production settings.
DEMO_PASSWORD = "minzheng-demo-2020"
