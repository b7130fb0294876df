"""WSGI entry point for gunicorn: `gunicorn recovery.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery.settings.production")
application = get_wsgi_application()
