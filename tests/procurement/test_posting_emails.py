"""Posting's emails go out by task after commit: none for a rolled-back publication, and
a refused one is retried rather than swallowed."""

from django.core import mail
from django.db import transaction
from django.test import TestCase, override_settings

from portal.procurement.models import Status
from portal.procurement.services import posting
from tests.factories import (
    create_moderator,
    create_new_buyer_poster,
    create_opportunity,
    new_buyer,
)
from tests.mail_backends import FAIL_ONCE, FailOnceBackend


class Rollback(Exception):
    pass


class PostingEmailTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.poster = create_new_buyer_poster()
        cls.moderator = create_moderator()

    def draft(self):
        return create_opportunity(publisher=new_buyer(), status=Status.DRAFT, published_at=None)

    def test_a_publication_rolled_back_emails_no_moderator(self):
        opportunity = self.draft()
        with (
            self.captureOnCommitCallbacks(execute=True) as callbacks,
            self.assertRaises(Rollback),
            transaction.atomic(),
        ):
            posting.publish_opportunity(opportunity=opportunity, user=self.poster)
            raise Rollback
        self.assertEqual(callbacks, [])
        self.assertEqual(mail.outbox, [])
        opportunity.refresh_from_db()
        self.assertEqual(opportunity.status, Status.DRAFT)

    @override_settings(MAILERS=FAIL_ONCE, SITE_URL="https://waymark.example.org")
    def test_a_refused_moderator_email_is_sent_on_retry(self):
        opportunity = self.draft()
        FailOnceBackend.reset()
        with self.captureOnCommitCallbacks(execute=True):
            posting.publish_opportunity(opportunity=opportunity, user=self.poster)
        address = self.moderator.email
        self.assertEqual(FailOnceBackend.attempts, [("refused", [address]), ("sent", [address])])
        [message] = mail.outbox
        self.assertIn("https://waymark.example.org/post/moderation/", message.body)

    @override_settings(MAILERS=FAIL_ONCE)
    def test_a_refused_approval_email_is_sent_on_retry(self):
        opportunity = self.draft()
        with self.captureOnCommitCallbacks(execute=True):
            posting.publish_opportunity(opportunity=opportunity, user=self.poster)
        mail.outbox.clear()
        FailOnceBackend.reset()
        with self.captureOnCommitCallbacks(execute=True):
            posting.approve_opportunity(opportunity=opportunity, user=self.moderator)
        address = self.poster.email
        self.assertEqual(FailOnceBackend.attempts, [("refused", [address]), ("sent", [address])])
        self.assertIn("is published", mail.outbox[0].subject)

    def test_no_moderator_email_once_the_posting_is_decided(self):
        from portal.procurement.tasks import send_pending_opportunity_emails

        opportunity = create_opportunity(publisher=new_buyer(), status=Status.OPEN)
        send_pending_opportunity_emails(opportunity.pk)
        self.assertEqual(mail.outbox, [])
