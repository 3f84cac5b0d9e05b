"""The emails about posting contract opportunities, built on ``portal.lib.mail``.

Tasks in ``tasks.py`` call these (the alerts' emails are in ``services/alerts.py``,
the links they carry in ``alert_links.py``); nothing here writes to the database.
"""

from django.utils.translation import gettext as _

from portal.accounts.permissions import moderators
from portal.lib.mail import absolute_url, send_email
from portal.procurement.models import Opportunity


def send_pending_opportunity_emails(*, opportunity: Opportunity) -> None:
    """Tell every moderator that a posting waits for them (one message each)."""
    subject = _("%(organisation)s posted an opportunity to approve") % {
        "organisation": opportunity.publisher.name
    }
    context = {
        "opportunity": opportunity,
        "queue_url": absolute_url("procurement:moderation-queue"),
        "opportunity_url": absolute_url(
            "procurement:opportunity-edit", public_id=opportunity.public_id
        ),
    }
    for address in sorted(set(moderators().values_list("email", flat=True))):
        send_email(
            to=address,
            subject=subject,
            template="procurement_opportunity_pending",
            context=context,
        )


def send_opportunity_approved_email(*, opportunity: Opportunity) -> None:
    """Tell whoever sent the posting to the moderators that it is now published."""
    submitted = (
        opportunity.changes.filter(action="submitted", user__isnull=False, user__is_active=True)
        .select_related("user")
        .order_by("-at", "-id")
        .first()
    )
    if submitted is None:
        return
    send_email(
        to=submitted.user.email,
        subject=_("Your opportunity “%(title)s” is published") % {"title": opportunity.title},
        template="procurement_opportunity_approved",
        context={
            "opportunity": opportunity,
            "opportunity_url": absolute_url("procurement:detail", public_id=opportunity.public_id),
        },
    )
