"""The test suite: honours DATABASE_URL (PostgreSQL in CI), fast password hashing."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-a-secret"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Each test process its own memory cache, whatever REDIS_URL says: the Redis path has its own
# test (recovery/public/tests/test_redis.py), which points the cache at Redis itself.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Jobs run in-process in tests, whatever REDIS_URL says: the Celery path has its own test
# (recovery/probation/tests/test_jobs_celery_worker.py), which runs a real worker.
CELERY_BROKER_URL = ""
