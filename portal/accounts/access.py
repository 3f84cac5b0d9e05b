"""Access helpers for views about organisations: which of the organisations a user acts
for a page is about."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from portal.accounts.models import Organisation


def organisation_to_act_for(request, organisations: QuerySet[Organisation]) -> Organisation | None:
    """The organisation a new offer or opportunity is for: the one named by
    ``?organisation=<slug>`` among ``organisations`` (404 when it is not one of them),
    else the only one. None when the user acts for several and must pick."""
    slug = request.GET.get("organisation")
    if slug:
        return get_object_or_404(organisations, slug=slug)
    choices = list(organisations[:2])
    return choices[0] if len(choices) == 1 else None
