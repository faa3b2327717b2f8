import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

from safeguard.signals.detector import warm as warm_detector

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
application = get_wsgi_application()
# Import every view now, as a worker starts (or once in gunicorn's master with --preload), not in the first
# request each worker serves: the charts' matplotlib and the rest took 2-3 s of that request.
get_resolver().url_patterns  # noqa: B018
# Likewise the new-information detector's phrase patterns (about 600 regular expressions, 0.2-0.3 s), which the
# first case page with notes would otherwise compile.
warm_detector()
