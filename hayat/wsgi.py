"""WSGI entry point, served by waitress (`python -m waitress hayat.wsgi:application`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hayat.settings")
application = get_wsgi_application()
