"""Who may curate which offer: the rules as a matrix, and the pages enforcing them
with CSRF checks on (every POST carries the token a real form would)."""

from django.test import Client
from django.urls import reverse

from portal.catalogue.models import Offer, OfferChange, OfferStatus
from portal.catalogue.rules import (
    can_curate,
    can_curate_for,
    can_edit_offer,
    can_list_offer_uk_wide,
    can_publish_offer,
    councils_user_may_list_offers_in,
    offers_editable_by,
    organisations_user_curates_for,
    regions_user_may_list_offers_in,
)
from tests.base import PersonasTestCase, permission_matrix
from tests.factories import (
    COUNCIL_B_GSS_CODE,
    council_a,
    council_b,
    create_offer,
    create_organisation,
    create_user,
    get_council,
    get_region,
)


def create_offers_a_and_b():
    return {"a": create_offer(curator=council_a()), "b": create_offer(curator=council_b())}


class OfferRuleQueriesTests(PersonasTestCase):
    create_objects = staticmethod(create_offers_a_and_b)

    def test_cluster_body_membership_does_not_make_a_curator(self):
        self.assertEqual(
            list(organisations_user_curates_for(self.personas["cluster_body_poster"])), []
        )

    def test_curator_may_list_offers_only_in_councils_the_organisation_covers(self):
        curator = self.personas["council_a_curator"]
        self.assertEqual(
            list(councils_user_may_list_offers_in(curator, council_a())),
            list(council_a().councils.all()),
        )
        self.assertEqual(list(councils_user_may_list_offers_in(curator, council_b())), [])

    def test_region_is_allowed_only_when_the_organisation_covers_all_its_councils(self):
        curator = self.personas["council_a_curator"]
        north_east = get_region(itl_code="TLC")
        self.assertNotIn(north_east, regions_user_may_list_offers_in(curator, council_a()))
        combined = create_organisation(councils=list(north_east.councils.all()))
        manager = create_user()
        from tests.factories import create_membership

        create_membership(user=manager, organisation=combined)
        self.assertIn(north_east, regions_user_may_list_offers_in(manager, combined))

    def test_rules_read_a_users_memberships_once(self):
        manager = self.personas["council_a_manager"]
        with self.assertNumQueries(1):
            can_curate(manager)
            can_edit_offer(manager, self.objects["a"])
            can_edit_offer(manager, self.objects["b"])
            can_publish_offer(manager, self.objects["a"])


class CsrfClientMixin:
    """A client with CSRF enforced, POSTing the token its cookie holds (as a page would)."""

    def sign_in(self, user) -> Client:
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        client.get(reverse("catalogue:curation-queue"))  # sets the CSRF cookie
        return client

    def post(self, client, url, data=None):
        token = client.cookies["csrftoken"].value
        return client.post(url, {**(data or {}), "csrfmiddlewaretoken": token})


def offer_form_data(offer, **overrides):
    """What the edit form posts for this offer, unchanged, plus ``overrides``."""
    data = {
        "version": offer.version,
        "title": offer.title,
        "summary": offer.summary,
        "description": offer.description,
        "provider_name": offer.provider_name,
        "kind": offer.kind,
        "delivery": offer.delivery,
        "cost": offer.cost,
        "currency": offer.currency,
        "application_url": offer.application_url,
        "councils": [council.pk for council in offer.councils.all()],
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


class OtherCouncilCuratorTests(CsrfClientMixin, PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.offer_b = create_offer(curator=council_b(), title="Newcastle growth grant")

    def setUp(self):
        self.client = self.sign_in(self.council_a_curator)

    def url(self, name):
        return reverse(f"catalogue:{name}", kwargs={"public_id": self.offer_b.public_id})

    def assert_offer_b_unchanged(self):
        before = Offer.objects.get(pk=self.offer_b.pk)
        self.assertEqual(before.title, "Newcastle growth grant")
        self.assertEqual(before.status, OfferStatus.DRAFT)
        self.assertEqual(before.version, 1)
        self.assertFalse(OfferChange.objects.filter(offer=self.offer_b).exists())

    def test_other_council_curator_gets_404_on_the_edit_page(self):
        self.assertEqual(self.client.get(self.url("offer-edit")).status_code, 404)

    def test_other_council_curator_gets_404_posting_the_edit_form(self):
        response = self.post(
            self.client, self.url("offer-edit"), offer_form_data(self.offer_b, title="Mine now")
        )
        self.assertEqual(response.status_code, 404)
        self.assert_offer_b_unchanged()

    def test_other_council_curator_gets_404_on_the_places_fragment(self):
        response = self.client.get(
            self.url("offer-places") + "?region=TLC", headers={"HX-Request": "true"}
        )
        self.assertEqual(response.status_code, 404)

    def test_other_council_curator_gets_404_on_the_places_page_without_javascript(self):
        self.assertEqual(self.client.get(self.url("offer-places")).status_code, 404)

    def test_other_council_curator_gets_404_on_the_history(self):
        self.assertEqual(self.client.get(self.url("offer-history")).status_code, 404)

    def test_other_council_curator_gets_404_on_every_workflow_action(self):
        for name in ("offer-submit", "offer-publish", "offer-archive"):
            with self.subTest(action=name):
                self.assertEqual(self.post(self.client, self.url(name)).status_code, 404)
        self.assert_offer_b_unchanged()

    def test_other_council_offers_are_not_in_the_queue(self):
        response = self.client.get(reverse("catalogue:curation-queue"))
        self.assertNotContains(response, "Newcastle growth grant")


class MovingOffersTests(CsrfClientMixin, PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.offer_a = create_offer(curator=council_a(), title="Gateshead digital grant")
        cls.council_b_place = get_council(gss_code=COUNCIL_B_GSS_CODE)

    def setUp(self):
        self.client = self.sign_in(self.council_a_curator)
        self.edit_url = reverse(
            "catalogue:offer-edit", kwargs={"public_id": self.offer_a.public_id}
        )

    def test_curator_cannot_move_an_offer_into_another_councils_area(self):
        response = self.post(
            self.client,
            self.edit_url,
            offer_form_data(self.offer_a, councils=[self.council_b_place.pk]),
        )

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Select only councils your organisation covers")
        self.offer_a.refresh_from_db()
        self.assertEqual(list(self.offer_a.councils.all()), list(council_a().councils.all()))
        self.assertEqual(self.offer_a.version, 1)

    def test_curator_cannot_add_another_councils_area_alongside_their_own(self):
        own = list(council_a().councils.values_list("pk", flat=True))
        self.post(
            self.client,
            self.edit_url,
            offer_form_data(self.offer_a, councils=[*own, self.council_b_place.pk]),
        )
        self.offer_a.refresh_from_db()
        self.assertNotIn(self.council_b_place, self.offer_a.councils.all())

    def test_curator_cannot_list_an_offer_in_a_region_they_do_not_wholly_cover(self):
        # The form has no regions field for them at all: the posted region is ignored.
        self.post(
            self.client,
            self.edit_url,
            offer_form_data(self.offer_a, regions=[get_region(itl_code="TLC").pk]),
        )
        self.offer_a.refresh_from_db()
        self.assertEqual(list(self.offer_a.regions.all()), [])
        self.assertEqual(self.offer_a.version, 1)

    def test_curator_cannot_make_an_offer_uk_wide(self):
        self.post(self.client, self.edit_url, offer_form_data(self.offer_a, uk_wide="on"))
        self.offer_a.refresh_from_db()
        self.assertFalse(self.offer_a.uk_wide)

    def test_curator_creating_an_offer_in_another_councils_area_saves_nothing(self):
        data = offer_form_data(self.offer_a, title="Sneaky", councils=[self.council_b_place.pk])
        data.pop("version")
        response = self.post(self.client, reverse("catalogue:offer-create"), data)
        self.assertContains(response, "Select only councils your organisation covers")
        self.assertFalse(Offer.objects.filter(title="Sneaky").exists())

    def test_extra_posted_fields_are_ignored(self):
        response = self.post(
            self.client,
            self.edit_url,
            offer_form_data(
                self.offer_a,
                title="Gateshead digital grant (renamed)",
                curator=council_b().pk,
                organisation=council_b().pk,
                status=OfferStatus.PUBLISHED,
                review_due="2099-01-01",
                slug="hijacked",
                published="2020-01-01T00:00",
            ),
        )

        self.assertRedirects(response, self.edit_url, fetch_redirect_response=False)
        self.offer_a.refresh_from_db()
        self.assertEqual(self.offer_a.title, "Gateshead digital grant (renamed)")
        self.assertEqual(self.offer_a.curator, council_a())
        self.assertEqual(self.offer_a.status, OfferStatus.DRAFT)
        self.assertNotEqual(self.offer_a.slug, "hijacked")
        self.assertIsNone(self.offer_a.published)
        self.assertEqual(self.offer_a.version, 2)

    def test_posting_a_bumped_version_saves_nothing(self):
        response = self.post(
            self.client,
            self.edit_url,
            offer_form_data(self.offer_a, title="Bumped", version=self.offer_a.version + 5),
        )
        self.assertEqual(response.status_code, 409)
        self.offer_a.refresh_from_db()
        self.assertEqual(
            (self.offer_a.title, self.offer_a.version), ("Gateshead digital grant", 1)
        )

    def test_extra_fields_posted_when_creating_are_ignored(self):
        data = offer_form_data(
            self.offer_a,
            title="Created with extras",
            curator=council_b().pk,
            status=OfferStatus.PUBLISHED,
        )
        data.pop("version")
        self.post(self.client, reverse("catalogue:offer-create"), data)
        offer = Offer.objects.get(title="Created with extras")
        self.assertEqual((offer.curator, offer.status), (council_a(), OfferStatus.DRAFT))

    def test_posting_without_the_csrf_token_is_refused(self):
        response = self.client.post(self.edit_url, offer_form_data(self.offer_a, title="No token"))
        self.assertEqual(response.status_code, 403)
        self.offer_a.refresh_from_db()
        self.assertEqual(self.offer_a.title, "Gateshead digital grant")


class PublishingTests(CsrfClientMixin, PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.offer_a = create_offer(curator=council_a(), status=OfferStatus.IN_REVIEW)
        cls.offer_b = create_offer(curator=council_b(), status=OfferStatus.IN_REVIEW)

    def publish(self, user, offer):
        client = self.sign_in(user)
        return self.post(
            client, reverse("catalogue:offer-publish", kwargs={"public_id": offer.public_id})
        )

    def test_editor_cannot_publish(self):
        response = self.publish(self.council_a_curator, self.offer_a)
        self.assertEqual(response.status_code, 403)
        self.offer_a.refresh_from_db()
        self.assertEqual((self.offer_a.status, self.offer_a.version), (OfferStatus.IN_REVIEW, 1))
        self.assertFalse(self.offer_a.changes.exists())

    def test_editor_is_not_offered_the_publish_button(self):
        client = self.sign_in(self.council_a_curator)
        response = client.get(
            reverse("catalogue:offer-edit", kwargs={"public_id": self.offer_a.public_id})
        )
        self.assertNotContains(
            response, reverse("catalogue:offer-publish", args=[self.offer_a.public_id])
        )

    def test_manager_publishes(self):
        response = self.publish(self.council_a_manager, self.offer_a)
        self.assertRedirects(
            response,
            reverse("catalogue:offer-edit", kwargs={"public_id": self.offer_a.public_id}),
            fetch_redirect_response=False,
        )
        self.offer_a.refresh_from_db()
        self.assertEqual(self.offer_a.status, OfferStatus.PUBLISHED)
        self.assertIsNotNone(self.offer_a.published)
        self.assertEqual(self.offer_a.changes.get().action, "published")

    def test_manager_of_council_a_gets_404_publishing_council_bs_offer(self):
        self.assertEqual(self.publish(self.council_a_manager, self.offer_b).status_code, 404)
        self.offer_b.refresh_from_db()
        self.assertEqual(self.offer_b.status, OfferStatus.IN_REVIEW)

    def test_moderator_publishes_any_councils_offer(self):
        for offer in (self.offer_a, self.offer_b):
            self.assertEqual(self.publish(self.moderator, offer).status_code, 302)
            offer.refresh_from_db()
            self.assertEqual(offer.status, OfferStatus.PUBLISHED)

    def test_moderator_can_edit_archive_and_read_history_of_any_offer(self):
        client = self.sign_in(self.moderator)
        for name in ("offer-edit", "offer-history", "offer-places"):
            with self.subTest(page=name):
                url = reverse(f"catalogue:{name}", kwargs={"public_id": self.offer_b.public_id})
                self.assertEqual(client.get(url).status_code, 200)
        response = self.post(
            client,
            reverse("catalogue:offer-archive", kwargs={"public_id": self.offer_b.public_id}),
        )
        self.assertEqual(response.status_code, 302)
        self.offer_b.refresh_from_db()
        self.assertEqual(self.offer_b.status, OfferStatus.ARCHIVED)

    def test_workflow_actions_refuse_get(self):
        client = self.sign_in(self.council_a_manager)
        for name in ("offer-submit", "offer-publish", "offer-archive"):
            with self.subTest(action=name):
                url = reverse(f"catalogue:{name}", kwargs={"public_id": self.offer_a.public_id})
                self.assertEqual(client.get(url).status_code, 405)
        self.offer_a.refresh_from_db()
        self.assertEqual(self.offer_a.status, OfferStatus.IN_REVIEW)


class NonCuratorTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.offer_a = create_offer(curator=council_a())

    def test_anonymous_visitor_is_sent_to_sign_in(self):
        response = self.client.get(reverse("catalogue:curation-queue"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:sign-in"), response["Location"])

    def test_non_curator_cannot_see_the_queue_or_add_support(self):
        self.client.force_login(self.cluster_body_poster)
        self.assertEqual(self.client.get(reverse("catalogue:curation-queue")).status_code, 403)
        self.assertEqual(self.client.get(reverse("catalogue:offer-create")).status_code, 403)

    def test_non_curator_gets_404_on_an_offer(self):
        self.client.force_login(self.cluster_body_poster)
        url = reverse("catalogue:offer-edit", kwargs={"public_id": self.offer_a.public_id})
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_header_shows_curate_support_only_to_curators(self):
        self.client.force_login(self.cluster_body_poster)
        self.assertNotContains(self.client.get(reverse("accounts:account")), "Curate support")
        self.client.force_login(self.council_a_curator)
        self.assertContains(self.client.get(reverse("accounts:account")), "Curate support")


# Each rule as a function of a user and the offers of create_offers_a_and_b().
RULES = {
    "can_curate": lambda user, offers: can_curate(user),
    "can_curate_for_a": lambda user, offers: can_curate_for(user, council_a()),
    "can_edit_a": lambda user, offers: can_edit_offer(user, offers["a"]),
    "can_edit_b": lambda user, offers: can_edit_offer(user, offers["b"]),
    "can_publish_a": lambda user, offers: can_publish_offer(user, offers["a"]),
    "can_publish_b": lambda user, offers: can_publish_offer(user, offers["b"]),
    "can_list_uk_wide": lambda user, offers: can_list_offer_uk_wide(user),
}
# Each query against the rule it must agree with, on the candidates it may list.
QUERIES = {
    "offers_editable_by": (
        offers_editable_by,
        can_edit_offer,
        lambda offers: Offer.objects.all(),
    ),
    "organisations_user_curates_for": (
        organisations_user_curates_for,
        can_curate_for,
        lambda offers: [council_a(), council_b()],
    ),
}

DENIED = dict.fromkeys(RULES, False)
EVERYTHING = dict.fromkeys(RULES, True)
EXPECTED = {
    "anonymous": DENIED,
    "council_a_curator": DENIED
    | {"can_curate": True, "can_curate_for_a": True, "can_edit_a": True},
    "council_b_curator": DENIED | {"can_curate": True, "can_edit_b": True},
    "council_a_manager": DENIED
    | {"can_curate": True, "can_curate_for_a": True, "can_edit_a": True, "can_publish_a": True},
    "cluster_body_poster": DENIED,
    "moderator": EVERYTHING,
    "superuser": EVERYTHING,
    "inactive_superuser": DENIED,
}


TestOfferPermissionMatrix = permission_matrix(RULES, EXPECTED, QUERIES, create_offers_a_and_b)
