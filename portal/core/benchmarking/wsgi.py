"""The site with the constant-response reference view, for ``benchmark http``'s
gunicorn: the same application as portal.wsgi, plus CONSTANT_PATH. The benchmark sets
DJANGO_SETTINGS_MODULE for the gunicorn it starts."""

import django
from django.conf import settings

django.setup()
settings.BENCHMARK_SITE_URLCONF = settings.ROOT_URLCONF
settings.ROOT_URLCONF = "portal.core.benchmarking.urls"

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
