"""Sending an offer for review emails the managers of its organisation."""

from django.core import mail
from django.urls import reverse

from portal.accounts.models import Role
from portal.catalogue.models import OfferStatus
from portal.catalogue.services import curation
from portal.catalogue.tasks import send_offer_in_review_emails
from portal.lib.links import site_url
from tests.base import PersonasTestCase
from tests.catalogue.test_curation_views import csrf_client, post
from tests.factories import create_membership, create_offer, create_organisation, create_user


class ReviewEmailTests(PersonasTestCase):
    def submit(self, offer, user):
        with self.captureOnCommitCallbacks(execute=True):
            return curation.submit_offer_for_review(offer=offer, user=user)

    def test_the_organisations_managers_are_emailed_and_nobody_else(self):
        second_manager = create_user(email="manager.two@example.com", full_name="Dan Manager")
        create_membership(user=second_manager, organisation=self.council_a, role=Role.MANAGER)
        offer = create_offer(title="Gateshead growth grant", curator=self.council_a)

        self.submit(offer, self.council_a_curator)

        self.assertEqual(
            sorted(message.to[0] for message in mail.outbox),
            ["manager.a@example.com", "manager.two@example.com"],
        )
        message = mail.outbox[0]
        self.assertEqual(len(message.to), 1)  # one message each: no address shared
        self.assertIn("Gateshead growth grant", message.subject)
        self.assertIn("Alice Curator of Gateshead Council has sent", message.body)
        edit_url = reverse("catalogue:offer-edit", kwargs={"public_id": offer.public_id})
        self.assertIn(site_url() + edit_url, message.body)
        self.assertIn("/curate/?group=in-review", message.body)
        self.assertEqual(message.alternatives[0][1], "text/html")
        self.assertIn(edit_url, message.alternatives[0][0])

    def test_the_sender_is_not_emailed_about_their_own_offer(self):
        offer = create_offer(curator=self.council_a)

        self.submit(offer, self.council_a_manager)

        self.assertEqual(mail.outbox, [])

    def test_an_organisation_with_no_manager_has_its_moderators_emailed(self):
        council_c = create_organisation(name="Sunderland City Council", slug="council-c")
        editor = create_user(email="editor.c@example.com")
        create_membership(user=editor, organisation=council_c, role=Role.EDITOR)
        offer = create_offer(curator=council_c)

        self.submit(offer, editor)

        self.assertEqual(
            sorted(message.to[0] for message in mail.outbox),
            sorted([self.moderator.email, self.superuser.email]),
        )

    def test_nothing_is_sent_once_the_offer_no_longer_waits(self):
        offer = create_offer(curator=self.council_a, status=OfferStatus.PUBLISHED)

        send_offer_in_review_emails(offer.pk)

        self.assertEqual(mail.outbox, [])

    def test_nothing_is_sent_when_the_offer_cannot_be_sent_for_review(self):
        offer = create_offer(curator=self.council_a, status=OfferStatus.IN_REVIEW)

        client = csrf_client(self.council_a_curator)
        with self.captureOnCommitCallbacks(execute=True):
            post(client, reverse("catalogue:offer-submit", kwargs={"public_id": offer.public_id}))

        self.assertEqual(mail.outbox, [])

    def test_the_send_for_review_button_emails_the_manager(self):
        offer = create_offer(title="Cyber essentials voucher", curator=self.council_a)
        client = csrf_client(self.council_a_curator)

        with self.captureOnCommitCallbacks(execute=True):
            response = post(
                client, reverse("catalogue:offer-submit", kwargs={"public_id": offer.public_id})
            )

        self.assertEqual(response.status_code, 302)
        self.assertEqual([message.to for message in mail.outbox], [["manager.a@example.com"]])
