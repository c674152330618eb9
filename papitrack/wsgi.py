"""WSGI entry point (gunicorn papitrack.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "papitrack.settings")
application = get_wsgi_application()
