"""Stub: being written."""

from django.http import Http404


def releases(request, **kwargs):
    raise Http404


def release(request, **kwargs):
    raise Http404
