"""The curators' list of published and archived offers: whose offers it shows, search,
filters, sort, pagination, bounded queries; and the queue's links to it, the CSV import
and export, and "View on the site" once an offer is published."""

from datetime import timedelta

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import Role
from portal.catalogue.models import OfferStatus
from tests.base import PersonasTestCase
from tests.catalogue.test_curation_views import csrf_client, post
from tests.factories import (
    council_a,
    council_b,
    create_council_a_curator,
    create_membership,
    create_offer,
    create_offers,
    create_organisation,
)
from tests.queries import assert_queries_do_not_grow, fetch

LIST_URL = reverse("catalogue:offer-list")
PUBLISHED, ARCHIVED = OfferStatus.PUBLISHED, OfferStatus.ARCHIVED


def edit_url(offer) -> str:
    return reverse("catalogue:offer-edit", kwargs={"public_id": offer.public_id})


def titles(response) -> list[str]:
    return [offer.title for offer in response.context["offers"]]


class WhoseOffersTests(PersonasTestCase):
    @classmethod
    def create_objects(cls):
        return {
            "published": create_offer(title="Gateshead growth grant", status=PUBLISHED),
            "archived": create_offer(title="Gateshead old voucher", status=ARCHIVED),
            "draft": create_offer(title="Gateshead draft"),
            "in_review": create_offer(title="Gateshead waiting", status=OfferStatus.IN_REVIEW),
            "other": create_offer(
                title="Newcastle growth grant", curator=council_b(), status=PUBLISHED
            ),
        }

    def test_a_curator_sees_only_their_organisations_published_and_archived_offers(self):
        self.client.force_login(self.council_a_curator)

        response = self.client.get(LIST_URL)

        self.assertEqual(titles(response), ["Gateshead growth grant", "Gateshead old voucher"])
        self.assertNotContains(response, "Newcastle")
        self.assertNotContains(response, "Gateshead draft")
        self.assertContains(response, "2 offers found")

    def test_each_offer_links_to_its_edit_page_and_a_published_one_to_the_site(self):
        self.client.force_login(self.council_a_curator)
        published, archived = self.objects["published"], self.objects["archived"]

        response = self.client.get(LIST_URL)

        self.assertContains(response, f'href="{edit_url(published)}"')
        self.assertContains(response, f'href="{edit_url(archived)}"')
        self.assertContains(response, f'href="{published.get_absolute_url()}"')
        self.assertNotContains(response, f'href="{archived.get_absolute_url()}"')
        self.assertContains(response, "View on the site", count=1)

    def test_the_other_councils_curator_sees_only_theirs(self):
        self.client.force_login(self.council_b_curator)

        self.assertEqual(titles(self.client.get(LIST_URL)), ["Newcastle growth grant"])

    def test_a_moderator_sees_every_organisations_offers_and_whose_each_is(self):
        self.client.force_login(self.moderator)

        response = self.client.get(LIST_URL)

        self.assertEqual(len(titles(response)), 3)
        self.assertContains(response, "Newcastle City Council")

    def test_people_who_do_not_curate_are_refused(self):
        for persona in ("founder", "cluster_body_poster"):
            with self.subTest(persona=persona):
                self.client.force_login(self.personas[persona])
                self.assertEqual(self.client.get(LIST_URL).status_code, 403)
        self.client.logout()
        response = self.client.get(LIST_URL)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:sign-in"), response["Location"])

    def test_no_offers_yet_says_so(self):
        organisation = create_organisation(name="Sunderland City Council")
        create_membership(user=self.founder, organisation=organisation, role=Role.EDITOR)
        self.client.force_login(self.founder)

        response = self.client.get(LIST_URL)

        self.assertContains(response, "0 offers found")
        self.assertContains(response, "no published or archived offers yet")


class SearchFilterSortTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.curator = create_council_a_curator()
        today = timezone.localdate()
        now = timezone.now()
        cls.grant = create_offer(
            title="Export growth grant",
            status=PUBLISHED,
            kind="grant",
            provider_name="North East Growth Hub",
            review_due=today + timedelta(days=90),
            updated=now - timedelta(days=3),
            published=now - timedelta(days=30),
        )
        cls.loan = create_offer(
            title="Business recovery loan",
            status=PUBLISHED,
            kind="loan",
            external_id="gh-2026-007",
            review_due=today + timedelta(days=10),
            updated=now - timedelta(days=1),
            published=now - timedelta(days=60),
        )
        cls.course = create_offer(
            title="Cyber security course",
            status=ARCHIVED,
            kind="training_course",
            summary="Protect your business from export fraud.",
            review_due=today + timedelta(days=40),
            updated=now - timedelta(days=10),
            published=now - timedelta(days=5),
        )

    def setUp(self):
        self.client.force_login(self.curator)

    def test_words_are_found_in_the_title_summary_provider_and_own_id(self):
        cases = {
            "grant": ["Export growth grant"],
            "EXPORT": ["Cyber security course", "Export growth grant"],
            "north east": ["Export growth grant"],
            "gh-2026-007": ["Business recovery loan"],
            "export loan": [],
        }
        for words, expected in cases.items():
            with self.subTest(words=words):
                response = self.client.get(LIST_URL, {"q": words})
                self.assertEqual(titles(response), expected)
                self.assertContains(response, f'value="{words}"')
        self.assertContains(
            self.client.get(LIST_URL, {"q": "export loan"}), "No offers match your search"
        )

    def test_filters_narrow_the_list_and_count_each_option(self):
        response = self.client.get(LIST_URL, {"status": "archived"})
        self.assertEqual(titles(response), ["Cyber security course"])
        options = {
            option.id: (option.count, option.checked)
            for group in response.context["facets"]
            for option in group.options
        }
        # A status's count is what choosing it would give: the other status too.
        self.assertEqual(options["status-published"], (2, False))
        self.assertEqual(options["status-archived"], (1, True))
        self.assertEqual(options["kind-training_course"], (1, False))
        self.assertEqual(options["kind-grant"], (0, False))
        self.assertContains(response, 'id="status-archived" name="status"')

        response = self.client.get(LIST_URL, {"kind": ["grant", "loan"]})
        self.assertEqual(titles(response), ["Business recovery loan", "Export growth grant"])

        response = self.client.get(LIST_URL, {"kind": "loan", "status": "archived"})
        self.assertEqual(titles(response), [])

        response = self.client.get(LIST_URL, {"q": "export", "status": "published"})
        self.assertEqual(titles(response), ["Export growth grant"])

    def test_sorts(self):
        cases = {
            "": ["Business recovery loan", "Cyber security course", "Export growth grant"],
            "title": ["Business recovery loan", "Cyber security course", "Export growth grant"],
            "updated": ["Business recovery loan", "Export growth grant", "Cyber security course"],
            "review": ["Business recovery loan", "Cyber security course", "Export growth grant"],
            "published": [
                "Cyber security course",
                "Export growth grant",
                "Business recovery loan",
            ],
            "nonsense": ["Business recovery loan", "Cyber security course", "Export growth grant"],
        }
        for sort, expected in cases.items():
            with self.subTest(sort=sort):
                self.assertEqual(titles(self.client.get(LIST_URL, {"sort": sort})), expected)
        response = self.client.get(LIST_URL, {"sort": "review"})
        self.assertContains(response, '<option value="review" selected>')

    def test_unknown_filter_values_are_ignored(self):
        response = self.client.get(LIST_URL, {"status": "draft", "kind": "party"})
        self.assertEqual(len(titles(response)), 3)

    def test_the_list_is_paged_keeping_the_filters(self):
        create_offers(count=30, status=PUBLISHED, curator=council_a(), kind="voucher")

        response = self.client.get(LIST_URL, {"kind": "voucher", "page": 2})

        page = response.context["page_obj"]
        self.assertEqual((page.number, page.paginator.count, len(titles(response))), (2, 30, 5))
        self.assertContains(response, "govuk-pagination")
        self.assertContains(response, "?kind=voucher&amp;page=1")

    def test_a_curator_of_one_organisation_is_not_offered_an_organisation_filter(self):
        response = self.client.get(LIST_URL)
        self.assertNotIn("organisation", [group.param for group in response.context["facets"]])
        self.assertNotContains(response, "Gateshead Council")


class SeveralOrganisationsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.curator = create_council_a_curator()
        create_membership(user=cls.curator, organisation=council_b())
        create_offer(title="Gateshead grant", status=PUBLISHED)
        create_offer(title="Newcastle grant", curator=council_b(), status=PUBLISHED)

    def test_a_curator_of_two_organisations_filters_by_organisation(self):
        self.client.force_login(self.curator)

        response = self.client.get(LIST_URL)
        self.assertEqual(titles(response), ["Gateshead grant", "Newcastle grant"])
        self.assertContains(response, 'id="organisation-council-b"')
        self.assertContains(response, "Newcastle City Council")

        response = self.client.get(LIST_URL, {"organisation": "council-b"})
        self.assertEqual(titles(response), ["Newcastle grant"])

        # An organisation they do not curate for is not a filter: it is ignored.
        response = self.client.get(LIST_URL, {"organisation": "platform-team"})
        self.assertEqual(len(titles(response)), 2)


class QueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.curator = create_council_a_curator()
        create_membership(user=cls.curator, organisation=council_b())

    def add_offers(self, count):
        half = count // 2
        create_offers(count=half, status=PUBLISHED, curator=council_a())
        create_offers(count=count - half, status=ARCHIVED, curator=council_b(), kind="loan")
        create_offers(count=count // 5, status=PUBLISHED, curator=create_organisation())

    def test_the_list_runs_the_same_few_queries_at_10_and_500_offers(self):
        self.add_offers(10)
        self.client.force_login(self.curator)
        pages = {
            "list": fetch(self.client, LIST_URL),
            "words": fetch(self.client, LIST_URL, {"q": "support offer"}),
            "filters": fetch(
                self.client,
                LIST_URL,
                {"status": "archived", "kind": ["loan", "grant"], "organisation": "council-b"},
            ),
            "sorted, page 2": fetch(self.client, LIST_URL, {"sort": "review", "page": 2}),
        }
        counts = assert_queries_do_not_grow(pages, grow=lambda: self.add_offers(490), maximum=8)
        self.assertEqual(self.client.get(LIST_URL).context["total"], 500)
        self.assertLessEqual(max(after for _before, after in counts.values()), 8)


class QueueLinksTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.curator = create_council_a_curator()

    def test_the_queue_links_to_the_list_and_the_csv_import_and_export(self):
        self.client.force_login(self.curator)

        response = self.client.get(reverse("catalogue:curation-queue"))

        self.assertContains(response, f'href="{LIST_URL}"')
        self.assertContains(response, f'href="{reverse("catalogue:offer-import")}"')
        export_url = reverse("catalogue:offer-export")
        self.assertContains(response, f'href="{export_url}"')
        self.assertEqual(self.client.get(export_url).status_code, 200)

    def test_a_curator_of_two_organisations_chooses_which_to_export_on_the_import_page(self):
        create_membership(user=self.curator, organisation=council_b())
        self.client.force_login(self.curator)

        response = self.client.get(reverse("catalogue:curation-queue"))

        self.assertContains(response, f'href="{reverse("catalogue:offer-import")}#export"')
        import_page = self.client.get(reverse("catalogue:offer-import"))
        self.assertContains(import_page, 'id="export"')


class ViewOnTheSiteTests(PersonasTestCase):
    def test_after_publishing_the_edit_page_links_to_the_offer_on_the_site(self):
        offer = create_offer(title="Gateshead growth grant", status=OfferStatus.IN_REVIEW)
        client = csrf_client(self.council_a_manager)
        self.assertNotContains(client.get(edit_url(offer)), "View on the site")

        response = post(
            client, reverse("catalogue:offer-publish", kwargs={"public_id": offer.public_id})
        )
        self.assertRedirects(response, edit_url(offer), fetch_redirect_response=False)

        page = client.get(edit_url(offer))
        self.assertContains(page, "Gateshead growth grant is published.")
        self.assertContains(page, f'href="{offer.get_absolute_url()}">View on the site</a>')
        self.assertEqual(client.get(offer.get_absolute_url()).status_code, 200)

    def test_an_archived_offer_has_no_link_to_the_site(self):
        offer = create_offer(status=ARCHIVED)
        self.client.force_login(self.council_a_curator)

        self.assertNotContains(self.client.get(edit_url(offer)), "View on the site")
