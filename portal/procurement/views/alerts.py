"""Stub: being written."""

from django.http import Http404


def alert_create(request, **kwargs):
    raise Http404


def alert_sent(request, **kwargs):
    raise Http404


def alert_confirm(request, **kwargs):
    raise Http404


def alert_unsubscribe(request, **kwargs):
    raise Http404


def alert_manage(request, **kwargs):
    raise Http404


def opportunity_save(request, **kwargs):
    raise Http404


def saved_opportunities(request, **kwargs):
    raise Http404
