"""Following an offer's link records a referral, never the person."""

from django.test import TestCase
from django.urls import reverse

from portal.catalogue.models import OfferStatus, Referral
from portal.catalogue.services.referrals import session_hash, source_path
from tests.catalogue.search_data import create_listed_offer
from tests.factories import create_user


class ReferralTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.offer = create_listed_offer(application_url="https://provider.example.org/apply")
        cls.go = reverse("catalogue:offer-go", args=[cls.offer.slug])

    def test_redirects_to_the_application_link_and_records_the_referral(self):
        response = self.client.get(self.go, {"from": f"/support/{self.offer.slug}/"})

        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], "https://provider.example.org/apply")
        referral = Referral.objects.get()
        self.assertEqual(referral.offer, self.offer)
        self.assertEqual(referral.source_page, f"/support/{self.offer.slug}/")
        self.assertIsNotNone(referral.at)

    def test_keeps_only_a_salted_hash_of_the_session(self):
        user = create_user(email="founder@example.com")
        self.client.force_login(user)
        session_key = self.client.session.session_key

        self.client.get(self.go)

        referral = Referral.objects.get()
        self.assertEqual(referral.session_hash, session_hash(session_key))
        self.assertEqual(len(referral.session_hash), 64)
        self.assertNotIn(session_key, referral.session_hash)
        stored = " ".join(str(value) for value in Referral.objects.values().get().values())
        self.assertNotIn("founder@example.com", stored)

    def test_source_page_from_the_referer_path_without_query(self):
        self.client.get(
            self.go, HTTP_REFERER="http://testserver/support/?q=grant&council=E08000024"
        )

        self.assertEqual(Referral.objects.get().source_page, "/support/")

    def test_other_sites_and_odd_sources_are_not_kept(self):
        self.client.get(self.go, HTTP_REFERER="https://elsewhere.example.com/page")
        self.client.get(self.go, {"from": "//evil.example.com/x"})
        self.client.get(self.go, {"from": "https://evil.example.com/"})

        self.assertEqual(set(Referral.objects.values_list("source_page", flat=True)), {""})

    def test_unpublished_offer_is_not_found_and_nothing_recorded(self):
        draft = create_listed_offer(status=OfferStatus.DRAFT)

        response = self.client.get(reverse("catalogue:offer-go", args=[draft.slug]))

        self.assertEqual(response.status_code, 404)
        self.assertFalse(Referral.objects.exists())

    def test_post_is_not_allowed(self):
        self.assertEqual(self.client.post(self.go).status_code, 405)


def test_source_path_keeps_only_local_paths():
    assert source_path("/support/x/?q=1#top") == "/support/x/"
    assert source_path("https://example.com/") == ""
    assert source_path("/\\evil") == ""
    assert len(source_path("/" + "a" * 500)) == 300
