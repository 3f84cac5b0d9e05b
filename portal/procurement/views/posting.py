"""Stub: being written."""

from django.http import Http404


def dashboard(request, **kwargs):
    raise Http404


def opportunity_create(request, **kwargs):
    raise Http404


def opportunity_edit(request, **kwargs):
    raise Http404


def opportunity_publish(request, **kwargs):
    raise Http404


def opportunity_close(request, **kwargs):
    raise Http404


def opportunity_withdraw(request, **kwargs):
    raise Http404


def moderation_queue(request, **kwargs):
    raise Http404


def opportunity_approve(request, **kwargs):
    raise Http404
