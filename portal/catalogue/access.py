"""Access helpers: fetch a protected object for the signed-in user, or 404.

404 rather than 403, so nobody learns which offers exist in another council's area.
The rules themselves are in portal/catalogue/rules.py.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from portal.catalogue.models import Offer
from portal.catalogue.rules import can_edit_offer


def get_offer_for_editor(request, public_id) -> Offer:
    """The offer, if the signed-in user may edit it (curator of its organisation or
    moderator); 404 otherwise."""
    offer = get_object_or_404(
        Offer.objects.select_related("curator", "provider"), public_id=public_id
    )
    if not can_edit_offer(request.user, offer):
        raise Http404("No offer here for this user.")
    return offer
