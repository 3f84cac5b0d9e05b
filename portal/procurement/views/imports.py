"""Stub: being written."""

from django.http import Http404


def import_runs(request, **kwargs):
    raise Http404


def import_run(request, **kwargs):
    raise Http404
