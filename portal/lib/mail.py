"""Building the site's emails: absolute links, the rendered message and its headers.

Each app's ``emails.py`` has one function per email built on ``send_email``; a Celery
task that takes ids calls it (see ``portal.lib.tasks``), after the transaction that
caused it commits. Each recipient gets their own message, so nobody learns another
person's address.
"""

import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from portal.lib.links import site_url

# What an email task retries on: the mail server refusing, dropping or not answering.
MAIL_ERRORS = (smtplib.SMTPException, OSError)


def absolute_url(view_name: str, *args, query: str = "", **kwargs) -> str:
    """The view's URL on SITE_URL (``links.site_url``): an email is read away from the
    site, and the Host header of whichever request caused it is not to be trusted."""
    path = reverse(view_name, args=args or None, kwargs=kwargs or None)
    return site_url() + path + (f"?{query}" if query else "")


class OneLineHeader(str):
    """A header value written on one line, as it is.

    Python's email package (still, with Django 6.1's email API) folds a header longer
    than 78 characters, and a long token with no space in it (an unsubscribe URL) it
    turns into RFC 2047 encoded-words. List-Unsubscribe is a structured field (RFC 2369)
    where encoded-words are not allowed, and Gmail and others then ignore it. One line
    is fine up to the 998 characters RFC 5322 allows. Django passes a str subclass
    through untouched, and the email package keeps a value that has a ``name`` and folds
    it with its ``fold``.
    """

    name: str

    def __new__(cls, name: str, value: str):
        if "\r" in value or "\n" in value or len(name) + len(value) > 990:
            raise ValueError(f"{name} cannot be written on one line")
        header = super().__new__(cls, value)
        header.name = name
        return header

    def __getnewargs__(self):
        # Copies and pickles (the locmem mail backend copies each message) make it anew.
        return (self.name, str(self))

    def fold(self, *, policy) -> str:
        return f"{self.name}: {self}{policy.linesep}"


def build_message(
    *, to: str, template: str, context: dict, subject: str = "", unsubscribe_url: str = ""
) -> EmailMultiAlternatives:
    """Render ``emails/<template>.txt`` and ``.html`` into one message to ``to``, with
    ``subject``, or with the one line ``emails/<template>_subject.txt`` renders.

    With ``unsubscribe_url`` the message carries List-Unsubscribe and the RFC 8058
    one-click List-Unsubscribe-Post, so mail clients offer an unsubscribe button that
    POSTs to that URL.
    """
    context = {"service_name": settings.SERVICE_NAME, "site_url": site_url(), **context}
    headers = {}
    if unsubscribe_url:
        headers = {
            "List-Unsubscribe": OneLineHeader("List-Unsubscribe", f"<{unsubscribe_url}>"),
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    if not subject:
        # A header is one line, whatever the template's translators wrote.
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"emails/{template}.txt", context),
        to=[to],
        headers=headers,
    )
    message.attach_alternative(render_to_string(f"emails/{template}.html", context), "text/html")
    return message


def send_email(
    *, to: str, template: str, context: dict, subject: str = "", unsubscribe_url: str = ""
) -> None:
    """Build the message (``build_message``) and send it; a mail server's refusal raises
    one of MAIL_ERRORS, for the calling task to retry."""
    build_message(
        to=to, subject=subject, template=template, context=context, unsubscribe_url=unsubscribe_url
    ).send()
