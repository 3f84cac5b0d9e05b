"""Stub: being written."""

from django.http import Http404


def cpv_search(request, **kwargs):
    raise Http404
