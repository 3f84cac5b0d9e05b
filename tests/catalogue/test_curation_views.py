from datetime import timedelta

from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from portal.catalogue.models import Offer, OfferStatus
from portal.catalogue.services import curation
from tests.catalogue.test_offer_permissions import offer_form_data
from tests.factories import (
    council_a,
    council_b,
    create_council_a_curator,
    create_membership,
    create_moderator,
    create_offer,
    get_region,
)
from tests.queries import assert_queries_do_not_grow, fetch


def csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get(reverse("catalogue:curation-queue"))
    return client


def post(client, url, data=None):
    return client.post(
        url, {**(data or {}), "csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    )


class QueueTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.curator = create_council_a_curator()
        today = timezone.localdate()
        cls.draft = create_offer(title="A draft offer")
        cls.in_review = create_offer(title="Waiting offer", status=OfferStatus.IN_REVIEW)
        cls.overdue = create_offer(
            title="Stale offer", status=OfferStatus.PUBLISHED, review_due=today - timedelta(days=3)
        )
        cls.closing = create_offer(
            title="Closing offer", status=OfferStatus.PUBLISHED, closes=today + timedelta(days=7)
        )
        cls.elsewhere = create_offer(title="Newcastle offer", curator=council_b())

    def setUp(self):
        self.client.force_login(self.curator)

    def test_queue_groups_the_organisations_offers(self):
        response = self.client.get(reverse("catalogue:curation-queue"))

        groups = {group["key"]: group for group in response.context["groups"]}
        self.assertEqual(groups["drafts"]["offers"], [self.draft])
        self.assertEqual(groups["in-review"]["offers"], [self.in_review])
        self.assertEqual(groups["overdue"]["offers"], [self.overdue])
        self.assertEqual(groups["closing-soon"]["offers"], [self.closing])
        self.assertEqual(groups["due-for-review"]["count"], 0)
        self.assertNotContains(response, "Newcastle offer")

    def test_one_group_is_listed_with_pagination(self):
        for number in range(30):
            create_offer(title=f"Extra draft {number:02}")
        response = self.client.get(reverse("catalogue:curation-queue") + "?group=drafts&page=2")
        page = response.context["groups"][0]["page"]
        self.assertEqual((page.number, page.paginator.count), (2, 31))
        self.assertContains(response, "govuk-pagination")

    def test_unknown_group_is_404(self):
        response = self.client.get(reverse("catalogue:curation-queue") + "?group=nope")
        self.assertEqual(response.status_code, 404)


class QueueQueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.curator = create_council_a_curator()

    def make_offers(self, count):
        today = timezone.localdate()
        statuses = [OfferStatus.DRAFT, OfferStatus.IN_REVIEW, OfferStatus.PUBLISHED]
        for number in range(count):
            create_offer(
                status=statuses[number % 3],
                review_due=today + timedelta(days=(number * 7) % 60 - 20),
                closes=today + timedelta(days=number % 45),
            )

    def test_queue_runs_the_same_number_of_queries_at_10_and_200_offers(self):
        self.make_offers(10)
        self.client.force_login(self.curator)
        assert_queries_do_not_grow(
            fetch(self.client, reverse("catalogue:curation-queue")),
            grow=lambda: self.make_offers(190),
        )

    def test_one_group_runs_the_same_number_of_queries_at_10_and_200_offers(self):
        self.make_offers(10)
        self.client.force_login(self.curator)
        assert_queries_do_not_grow(
            fetch(self.client, reverse("catalogue:curation-queue"), {"group": "drafts"}),
            grow=lambda: self.make_offers(190),
        )


class CreateOfferViewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.curator = create_council_a_curator()

    def valid_data(self, **overrides):
        return {
            "title": "Made in Gateshead",
            "summary": "Help for makers.",
            "provider_name": "Gateshead Council",
            "kind": "grant",
            "delivery": "online",
            "cost": "free",
            "currency": "GBP",
            "application_url": "https://example.com/made",
            "councils": [council.pk for council in council_a().councils.all()],
            **overrides,
        }

    def test_curator_creates_a_draft_and_lands_on_its_edit_page(self):
        client = csrf_client(self.curator)
        response = post(client, reverse("catalogue:offer-create"), self.valid_data())

        offer = Offer.objects.get(title="Made in Gateshead")
        self.assertRedirects(
            response,
            reverse("catalogue:offer-edit", kwargs={"public_id": offer.public_id}),
            fetch_redirect_response=False,
        )
        self.assertEqual((offer.curator, offer.status), (council_a(), OfferStatus.DRAFT))

    def test_form_shows_fieldsets_and_only_the_organisations_councils(self):
        self.client.force_login(self.curator)
        response = self.client.get(reverse("catalogue:offer-create"))
        self.assertContains(response, "Who it is for")
        self.assertContains(response, "Gateshead")
        self.assertNotContains(response, "Newcastle upon Tyne")
        self.assertNotContains(response, 'name="uk_wide"')

    def test_validation_errors_name_the_field_and_save_nothing(self):
        client = csrf_client(self.curator)
        cases = {
            "closing date must be after": {"opens": "2026-05-01", "closes": "2026-04-01"},
            "largest amount must be": {"funding_min": "5000", "funding_max": "100"},
            "at least one council": {"councils": []},
            "correct format": {"application_url": "ftp://example.com/file"},
            "Enter the name": {"title": ""},
        }
        for message, overrides in cases.items():
            with self.subTest(message=message):
                response = post(
                    client, reverse("catalogue:offer-create"), self.valid_data(**overrides)
                )
                self.assertContains(response, message)
                self.assertContains(response, "govuk-error-summary")
        self.assertFalse(Offer.objects.exists())

    def test_curator_of_two_councils_chooses_the_organisation_first(self):
        create_membership(user=self.curator, organisation=council_b())
        self.client.force_login(self.curator)
        response = self.client.get(reverse("catalogue:offer-create"))
        self.assertTemplateUsed(response, "catalogue/curation/choose_organisation.html")
        response = self.client.get(reverse("catalogue:offer-create") + "?organisation=council-b")
        self.assertEqual(response.context["curator"], council_b())

    def test_organisation_the_user_does_not_curate_for_is_404(self):
        self.client.force_login(self.curator)
        response = self.client.get(reverse("catalogue:offer-create") + "?organisation=council-b")
        self.assertEqual(response.status_code, 404)


class EditOfferViewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.curator = create_council_a_curator()
        cls.offer = create_offer(title="Two tabs grant")

    def edit_url(self):
        return reverse("catalogue:offer-edit", kwargs={"public_id": self.offer.public_id})

    def test_second_tab_save_is_refused_with_a_clear_message(self):
        client = csrf_client(self.curator)
        # Both tabs loaded the form at version 1.
        first_tab = offer_form_data(self.offer, title="Saved from tab one")
        second_tab = offer_form_data(self.offer, title="Saved from tab two")

        self.assertEqual(post(client, self.edit_url(), first_tab).status_code, 302)
        response = post(client, self.edit_url(), second_tab)

        self.assertContains(
            response,
            "Someone else changed this offer while you were editing it. Your changes have "
            "not been saved. Reload the page to see their changes.",
            status_code=409,
        )
        self.offer.refresh_from_db()
        self.assertEqual((self.offer.title, self.offer.version), ("Saved from tab one", 2))
        self.assertEqual(self.offer.changes.count(), 1)

    def test_edit_form_carries_the_version_it_was_loaded_at(self):
        self.client.force_login(self.curator)
        response = self.client.get(self.edit_url())
        self.assertContains(response, 'name="version" value="1"', html=False)

    def test_history_lists_each_change(self):
        curation.update_offer(
            offer=self.offer, changes={"title": "Renamed"}, user=self.curator, expected_version=1
        )
        self.client.force_login(self.curator)
        response = self.client.get(
            reverse("catalogue:offer-history", kwargs={"public_id": self.offer.public_id})
        )
        self.assertContains(response, "Two tabs grant")
        self.assertContains(response, "Renamed")
        self.assertContains(response, self.curator.get_full_name())


class PlacesFragmentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.moderator = create_moderator()
        cls.offer = create_offer(title="Places offer")
        cls.url = reverse("catalogue:offer-places", kwargs={"public_id": cls.offer.public_id})

    def setUp(self):
        self.client.force_login(self.moderator)

    def test_htmx_request_gets_only_the_councils_of_the_chosen_region(self):
        gateshead = council_a().councils.get()
        wales = get_region(itl_code="TLL")
        response = self.client.get(
            self.url,
            {"region": wales.itl_code, "councils": [gateshead.pk]},
            headers={"HX-Request": "true"},
        )

        content = response.content.decode()
        self.assertTrue(content.strip().startswith('<div id="places"'))
        self.assertNotIn("<html", content)
        self.assertNotIn(">Gateshead<", content)
        # The chosen council from another region is kept, hidden.
        self.assertIn(f'<input type="hidden" name="councils" value="{gateshead.pk}">', content)

    def test_without_javascript_the_whole_edit_page_is_shown_filtered(self):
        response = self.client.get(self.url, {"region": "TLC"})
        self.assertContains(response, "<html", html=False)
        self.assertContains(response, ">Gateshead<", html=False)
        self.assertTemplateUsed(response, "catalogue/curation/offer_form.html")
