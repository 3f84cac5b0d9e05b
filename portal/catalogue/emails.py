"""The emails about curating support offers, built on ``portal.lib.mail``.

Tasks in ``tasks.py`` call these; nothing here writes to the database.
"""

from django.utils.translation import gettext as _

from portal.accounts.permissions import managers_of, moderators
from portal.catalogue.models import Offer
from portal.lib.mail import absolute_url, send_email


def send_offer_in_review_emails(*, offer: Offer) -> None:
    """Tell each manager of the offer's organisation (its moderators if it has none) that
    the offer waits for them to publish, one message each; never the person who sent it."""
    submitted = (
        offer.changes.filter(action="submitted").select_related("user").order_by("-at", "-id")
    ).first()
    sender = submitted.user if submitted else None
    recipients = set(managers_of(offer.curator).values_list("email", flat=True)) or set(
        moderators().values_list("email", flat=True)
    )
    recipients.discard(sender.email if sender else None)
    subject = _("“%(title)s” is waiting for you to publish it") % {"title": offer.title}
    context = {
        "offer": offer,
        "sender_name": sender.get_full_name() if sender else "",
        "offer_url": absolute_url("catalogue:offer-edit", public_id=offer.public_id),
        "queue_url": absolute_url("catalogue:curation-queue", query="group=in-review"),
    }
    for address in sorted(recipients):
        send_email(
            to=address, subject=subject, template="catalogue_offer_in_review", context=context
        )
