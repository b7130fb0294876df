"""Settings shared by every profile. Everything that differs between machines comes from the
environment: DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS, DEBUG and the single sign-on settings."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SERVICE_NAME = "Recover regimes safely"
SERVICE_PHASE = "Alpha"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "csp",
    "recovery.core",
    "recovery.audit",
    "recovery.estate",
    "recovery.accounts",
    "recovery.frameworks",
    "recovery.plans",
    "recovery.covid",
    "recovery.progression",
    "recovery.public",
    "recovery.backlogs",
    "recovery.decisions",
    "recovery.probation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything can read a request body: JSON errors (and 413) for everything under /api/
    "recovery.core.api.ApiErrorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "recovery.core.middleware.SignInRequiredMiddleware",
    "recovery.core.middleware.NoStoreWhenSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "recovery.urls"
WSGI_APPLICATION = "recovery.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "recovery" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "recovery.core.context_processors.service",
            ],
            "builtins": ["recovery.core.templatetags.govuk"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's cache (the public status pages): Redis when REDIS_URL is set, as in production, so
# every web server process shares it; this process's memory otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Background jobs (recovery.core.jobs, recovery/celery.py): on Celery with Redis as the broker
# when REDIS_URL (or CELERY_BROKER_URL) is set, as in production; in-process otherwise.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "recovery")
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The public status pages: kept in the cache (off only to measure the difference), for at most
# this many seconds (each is forgotten at once when what it shows changes), and cacheable by
# browsers and proxies for PUBLIC_STATUS_MAX_AGE seconds.
PUBLIC_STATUS_CACHE = env_bool("PUBLIC_STATUS_CACHE", True)
PUBLIC_STATUS_CACHE_SECONDS = int(os.environ.get("PUBLIC_STATUS_CACHE_SECONDS", "600"))
PUBLIC_STATUS_MAX_AGE = int(os.environ.get("PUBLIC_STATUS_MAX_AGE", "60"))

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/sign-in/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/sign-in/"

# Sign-in method. "password" now; "oidc" is the seam for HMPPS Auth-style single sign-on:
# see recovery/accounts/sso.py and docs/decisions/0004-sign-in-and-sso-seam.md.
SIGN_IN_METHOD = os.environ.get("SIGN_IN_METHOD", "password")

# Sign-in throttling (recovery/accounts/throttling.py): five failed attempts for one e-mail
# address lock it for 15 minutes; one network address is locked only after many more failures
# (100 by default), since many people may share it behind a proxy.
AXES_HANDLER = "recovery.accounts.throttling.AccountOrAddressHandler"
AXES_FAILURE_LIMIT = 5
SIGN_IN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("SIGN_IN_ADDRESS_FAILURE_LIMIT", "100"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "recovery.accounts.throttling.locked_out"
AXES_CLIENT_IP_CALLABLE = "recovery.accounts.throttling.client_address"
AXES_RESET_ON_SUCCESS = True
# The proxies in front of the service (addresses or networks, comma-separated, e.g.
# "10.0.0.5,10.1.0.0/16"): only from them is X-Forwarded-For believed for the client's address.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
AXES_VERBOSE = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

# GOV.UK Frontend's CSS refers to /assets/fonts and /assets/images, so that is our static URL.
STATIC_URL = "/assets/"
STATICFILES_DIRS = [BASE_DIR / "frontend" / "build"]
# Where `collectstatic` writes and where uploaded evidence is kept: set STATIC_ROOT and
# MEDIA_ROOT in production (e.g. /var/lib/recovery/static and /var/lib/recovery/media). By
# default both sit under DATA_DIR, a folder git ignores (`var/` in the checkout), so nothing
# the service writes ever lands among tracked files.
DATA_DIR = Path(os.environ.get("DATA_DIR", BASE_DIR / "var"))
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))

# Uploads: a spreadsheet larger than this is refused before it is read.
MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "recovery.core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

API_TOKEN_DEFAULT_DAYS = 90

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "recovery.security": {"handlers": ["console"], "level": "INFO"},
        "django": {"handlers": ["console"], "level": "WARNING"},
    },
}

if SIGN_IN_METHOD == "oidc":
    # Single sign-on seam: see recovery/accounts/sso.py. Every value comes from the environment.
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.insert(1, "recovery.accounts.sso.HmppsAuthBackend")
    OIDC_RP_CLIENT_ID = os.environ["OIDC_RP_CLIENT_ID"]
    OIDC_RP_CLIENT_SECRET = os.environ["OIDC_RP_CLIENT_SECRET"]
    OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ["OIDC_OP_AUTHORIZATION_ENDPOINT"]
    OIDC_OP_TOKEN_ENDPOINT = os.environ["OIDC_OP_TOKEN_ENDPOINT"]
    OIDC_OP_USER_ENDPOINT = os.environ["OIDC_OP_USER_ENDPOINT"]
    OIDC_OP_JWKS_ENDPOINT = os.environ["OIDC_OP_JWKS_ENDPOINT"]
    OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = "openid email"
    OIDC_CREATE_USER = False

# E-mail: who is told when something waits for them (recovery.core.notify). The console in
# development; in production set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and
# EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD (EMAIL_USE_TLS=1).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "recovery-service@justice.example")
# The address links in e-mails start with (no trailing slash).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Backlog releases (releases engineer): an optional webhook told of each release and data call
# (a JSON POST after the release is committed; a failure is logged and never undoes the
# release), and how long to wait for it.
RELEASE_WEBHOOK_URL = os.environ.get("RELEASE_WEBHOOK_URL", "")
RELEASE_WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("RELEASE_WEBHOOK_TIMEOUT_SECONDS", "5"))
