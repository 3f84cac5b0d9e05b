"""Stub: being written."""

from django.http import Http404


def opportunity_list(request, **kwargs):
    raise Http404


def opportunity_detail(request, **kwargs):
    raise Http404
