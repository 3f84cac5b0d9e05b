"""Welsh pages in tests, whichever way the site tells the language: a Welsh URL (the
``/cy/`` prefix, where the URLs have one) asked for with Welsh as the browser's
language, with Welsh among the languages the settings offer."""

from django.test import override_settings
from django.urls import reverse
from django.utils import translation

WELSH_LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]

with_welsh = override_settings(LANGUAGES=WELSH_LANGUAGES)


def welsh_url(name: str, *args, **kwargs) -> str:
    with translation.override("cy"):
        return reverse(name, args=args or None, kwargs=kwargs or None)


def get_welsh(client, url: str, data=None, **extra):
    return client.get(url, data or {}, HTTP_ACCEPT_LANGUAGE="cy", **extra)
