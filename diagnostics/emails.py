"""The diagnostic's emails: the resume link and the results link. Tasks call these.

Both links are resume links (a signed token bound to the assessment): opening one grants
the browser the assessment and goes on to where the person was, or to the results.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from diagnostics.models import Assessment
from diagnostics.tokens import make_resume_token
from portal.lib.languages import in_language
from portal.lib.mail import absolute_url, send_email


def resume_path(assessment: Assessment) -> str:
    """The resume link's path: pages show it on the address in use (`links.page_url`)."""
    return reverse(
        "diagnostics:resume",
        kwargs={
            "public_id": assessment.public_id,
            "token": make_resume_token(assessment.public_id),
        },
    )


def resume_url(assessment: Assessment) -> str:
    return absolute_url(
        "diagnostics:resume",
        public_id=assessment.public_id,
        token=make_resume_token(assessment.public_id),
    )


def send_resume_link_email(*, assessment: Assessment) -> None:
    """In the language the address was given in, with a link to the pages in it."""
    with in_language(assessment.language):
        send_email(
            to=assessment.email,
            subject=_("Your link to come back to the digital maturity check"),
            template="diagnostics_resume_link",
            context={"assessment": assessment, "resume_url": resume_url(assessment)},
        )


def send_results_link_email(*, assessment: Assessment) -> None:
    with in_language(assessment.language):
        send_email(
            to=assessment.email,
            subject=_("Your digital maturity check results"),
            template="diagnostics_results_link",
            context={"assessment": assessment, "results_url": resume_url(assessment)},
        )
