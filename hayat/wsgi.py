"""WSGI entry point, served by Granian (`python run.py serve`) or any WSGI server (`hayat.wsgi:application`)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hayat.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 -- imports every app's views now, not on the first request
# The loaded code is a few hundred thousand objects that live as long as the process. Left to the collector, every
# full collection walks them all: a pause of up to ~130 ms under about one request in sixty on a busy server.
gc.freeze()
