"""The posting pages: the dashboard, the opportunity form, the confirmation pages of
publish, close and withdraw, and the moderation queue."""

from datetime import date, timedelta

from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from portal.procurement.forms import DEADLINE_FORMAT
from portal.procurement.models import Opportunity, Status
from portal.procurement.services import posting
from tests.factories import (
    cluster_body,
    cluster_body_y,
    create_cluster_body_poster,
    create_membership,
    create_moderator,
    create_new_buyer_poster,
    create_opportunity,
    create_user,
    get_council,
    new_buyer,
)
from tests.queries import assert_queries_do_not_grow, fetch


def opportunity_form_data(**overrides):
    """What the opportunity form posts when filled in (no lots)."""
    deadline = timezone.localtime(timezone.now() + timedelta(days=14))
    data = {
        "title": "Cyber security review",
        "description": "A review of the cluster's systems.",
        "main_category": "services",
        "cpv_codes": "72000000\n72611000",
        "stage": "tender",
        "procedure": "open",
        "buyer_name": "",
        "buyer_type": "public",
        "value_min": "",
        "value_max": "30,000",
        "currency": "GBP",
        "deadline": deadline.strftime(DEADLINE_FORMAT),
        "contract_start": "",
        "contract_end": "",
        "sme_suitable": "yes",
        "vcse_suitable": "unknown",
        "notice_url": "",
        "contact_name": "",
        "contact_email": "",
        "councils": [str(get_council().pk)],
        "delivery_location": "",
        "lots-TOTAL_FORMS": "0",
        "lots-INITIAL_FORMS": "0",
        "lots-MIN_NUM_FORMS": "0",
        "lots-MAX_NUM_FORMS": "10",
    }
    return data | overrides


def edit_form_data(opportunity, **overrides):
    data = opportunity_form_data(
        title=opportunity.title,
        version=str(opportunity.version),
    )
    return data | overrides


class DashboardTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.poster = create_cluster_body_poster()
        cls.draft = create_opportunity(title="Our draft", status=Status.DRAFT)
        cls.open = create_opportunity(title="Our open one")
        cls.theirs = create_opportunity(title="Their opportunity", publisher=cluster_body_y())
        cls.imported = create_opportunity(title="Imported one", publisher=None, source="imported")

    def test_lists_the_organisations_opportunities_with_counts(self):
        self.client.force_login(self.poster)
        response = self.client.get(reverse("procurement:posting-dashboard"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Our draft")
        self.assertContains(response, "Our open one")
        self.assertNotContains(response, "Their opportunity")
        self.assertNotContains(response, "Imported one")
        tabs = {tab["status"]: tab["count"] for tab in response.context["tabs"]}
        self.assertEqual((tabs[""], tabs["draft"], tabs["open"], tabs["closed"]), (2, 1, 1, 0))
        self.assertContains(response, reverse("procurement:opportunity-create"))
        self.assertNotContains(response, reverse("procurement:moderation-queue"))

    def test_filters_by_status(self):
        self.client.force_login(self.poster)
        response = self.client.get(reverse("procurement:posting-dashboard"), {"status": "draft"})
        self.assertEqual(list(response.context["page_obj"]), [self.draft])

    def test_unknown_status_is_404(self):
        self.client.force_login(self.poster)
        response = self.client.get(reverse("procurement:posting-dashboard"), {"status": "nope"})
        self.assertEqual(response.status_code, 404)

    def test_moderators_see_the_queue_and_import_runs_links(self):
        self.client.force_login(create_moderator())
        response = self.client.get(reverse("procurement:posting-dashboard"))
        self.assertContains(response, reverse("procurement:moderation-queue"))
        self.assertContains(response, reverse("procurement:import-runs"))

    def test_someone_who_posts_for_nobody_is_refused(self):
        self.client.force_login(create_user())
        response = self.client.get(reverse("procurement:posting-dashboard"))
        self.assertEqual(response.status_code, 403)

    def test_header_and_account_link_to_the_dashboard_for_posters_only(self):
        url = reverse("procurement:posting-dashboard")
        self.client.force_login(self.poster)
        self.assertContains(self.client.get(reverse("accounts:account")), url, count=2)
        self.client.force_login(create_user())
        self.assertNotContains(self.client.get(reverse("accounts:account")), url)


class DashboardQueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.poster = create_cluster_body_poster()

    def add_90_opportunities(self):
        Opportunity.objects.bulk_create(
            Opportunity(title=f"More {number}", publisher=cluster_body(), buyer_name="X")
            for number in range(90)
        )

    def test_queries_do_not_grow_with_the_number_of_opportunities(self):
        for number in range(10):
            create_opportunity(title=f"Opportunity {number}")
        self.client.force_login(self.poster)
        assert_queries_do_not_grow(
            fetch(self.client, reverse("procurement:posting-dashboard")),
            grow=self.add_90_opportunities,
            maximum=10,
        )

    def test_moderators_queries_are_bounded_too(self):
        for number in range(10):
            create_opportunity(title=f"Opportunity {number}", status=Status.PENDING)
        self.client.force_login(create_moderator())
        assert_queries_do_not_grow(
            fetch(self.client, reverse("procurement:posting-dashboard")),
            grow=self.add_90_opportunities,
        )


class CreateOpportunityViewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.poster = create_cluster_body_poster()

    def setUp(self):
        self.client.force_login(self.poster)

    def test_the_form_opens(self):
        response = self.client.get(reverse("procurement:opportunity-create"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Post an opportunity")
        self.assertContains(response, 'name="cpv_codes"')

    def test_a_valid_form_creates_a_draft_and_goes_to_its_page(self):
        response = self.client.post(
            reverse("procurement:opportunity-create"), opportunity_form_data()
        )
        opportunity = Opportunity.objects.get()
        self.assertRedirects(
            response,
            reverse("procurement:opportunity-edit", kwargs={"public_id": opportunity.public_id}),
        )
        self.assertEqual(opportunity.status, Status.DRAFT)
        self.assertEqual(opportunity.publisher, cluster_body())
        self.assertEqual(opportunity.buyer_name, cluster_body().name)
        self.assertEqual(opportunity.cpv_codes, ["72000000", "72611000"])
        self.assertEqual(str(opportunity.value_max), "30000.00")
        self.assertIs(opportunity.sme_suitable, True)
        self.assertIsNone(opportunity.vcse_suitable)
        self.assertEqual(list(opportunity.councils.all()), [get_council()])

    def test_a_value_of_zero_is_saved_as_not_stated(self):
        self.client.post(
            reverse("procurement:opportunity-create"),
            opportunity_form_data(value_min="0", value_max="0"),
        )
        opportunity = Opportunity.objects.get()
        self.assertIsNone(opportunity.value_min)
        self.assertIsNone(opportunity.value_max)

    def test_extra_fields_in_the_post_are_ignored(self):
        self.client.post(
            reverse("procurement:opportunity-create"),
            opportunity_form_data(
                publisher=str(cluster_body_y().pk),
                status="open",
                ocid="ocds-evil-1",
                version="99",
                source="imported",
                published_at="2020-01-01T00:00",
            ),
        )
        opportunity = Opportunity.objects.get()
        self.assertEqual(opportunity.publisher, cluster_body())
        self.assertEqual(opportunity.status, Status.DRAFT)
        self.assertTrue(opportunity.ocid.endswith(str(opportunity.public_id)))
        self.assertEqual(opportunity.version, 1)
        self.assertEqual(opportunity.source, "posted")
        self.assertIsNone(opportunity.published_at)

    def test_bad_input_shows_the_govuk_error_summary_and_saves_nothing(self):
        response = self.client.post(
            reverse("procurement:opportunity-create"),
            opportunity_form_data(
                title="",
                cpv_codes="7200",
                value_min="500",
                value_max="100",
                deadline=timezone.localtime(timezone.now() - timedelta(days=1)).strftime(
                    DEADLINE_FORMAT
                ),
                councils=[],
            ),
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "govuk-error-summary")
        self.assertContains(response, "<title>Error:")
        for message in (
            "Enter a title",
            "is not a CPV code",
            "The value must be the same as or more than the lowest value",
            "The deadline for tenders must be in the future",
            "Select where the work is",
        ):
            with self.subTest(message=message):
                self.assertContains(response, message)
        self.assertContains(response, 'href="#id_title"')
        self.assertFalse(Opportunity.objects.exists())

    def test_contract_end_before_start_is_an_error(self):
        response = self.client.post(
            reverse("procurement:opportunity-create"),
            opportunity_form_data(contract_start="2027-06-01", contract_end="2027-05-01"),
        )
        self.assertContains(response, "The contract end date must be after its start date")

    def test_contract_dates_are_govuk_date_inputs(self):
        response = self.client.post(
            reverse("procurement:opportunity-create"),
            opportunity_form_data(
                contract_start_day="31",
                contract_start_month="2",
                contract_start_year="2027",
                contract_end_day="1",
                contract_end_month="",
                contract_end_year="2028",
            ),
        )
        self.assertContains(response, "Contract start date must be a real date")
        self.assertContains(response, "Contract end date must include a month")
        self.assertContains(response, 'name="contract_start_day" value="31"')
        self.assertFalse(Opportunity.objects.exists())

        response = self.client.post(
            reverse("procurement:opportunity-create"),
            opportunity_form_data(
                contract_start_day="1", contract_start_month="6", contract_start_year="2027"
            ),
        )
        self.assertEqual(Opportunity.objects.get().contract_start, date(2027, 6, 1))

    def test_the_deadline_is_a_govuk_date_input_with_a_time(self):
        deadline = timezone.localtime(timezone.now() + timedelta(days=30))
        data = opportunity_form_data(
            deadline="",
            deadline_day=str(deadline.day),
            deadline_month=str(deadline.month),
            deadline_year=str(deadline.year),
            deadline_time="",
        )
        response = self.client.post(reverse("procurement:opportunity-create"), data)
        self.assertContains(response, "Deadline for tenders must include a time")
        self.assertContains(response, f'name="deadline_day" value="{deadline.day}"')

        data["deadline_time"] = "17:30"
        self.client.post(reverse("procurement:opportunity-create"), data)
        saved = timezone.localtime(Opportunity.objects.get().deadline)
        self.assertEqual((saved.date(), saved.hour, saved.minute), (deadline.date(), 17, 30))

    def test_lots_are_saved(self):
        data = opportunity_form_data(
            **{
                "lots-TOTAL_FORMS": "2",
                "lots-0-lot_id": "1",
                "lots-0-title": "Penetration testing",
                "lots-0-value": "10000",
                "lots-0-cpv_codes": "72611000",
                "lots-1-lot_id": "",
                "lots-1-title": "",
                "lots-1-value": "",
                "lots-1-cpv_codes": "",
            }
        )
        self.client.post(reverse("procurement:opportunity-create"), data)
        opportunity = Opportunity.objects.get()
        self.assertEqual(
            list(opportunity.lots.values_list("lot_id", "title", "cpv_codes")),
            [("1", "Penetration testing", ["72611000"])],
        )

    def test_duplicate_lot_ids_are_an_error(self):
        data = opportunity_form_data(
            **{
                "lots-TOTAL_FORMS": "2",
                "lots-0-lot_id": "1",
                "lots-1-lot_id": "1",
            }
        )
        response = self.client.post(reverse("procurement:opportunity-create"), data)
        self.assertContains(response, "Give each lot a different id")
        self.assertFalse(Opportunity.objects.exists())

    def test_add_a_lot_without_javascript_keeps_what_was_typed(self):
        response = self.client.post(
            reverse("procurement:opportunity-create"),
            opportunity_form_data(title="Typed title", add_lot="1"),
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'value="Typed title"')
        self.assertContains(response, 'name="lots-0-lot_id"')
        self.assertNotContains(response, "govuk-error-summary")
        self.assertFalse(Opportunity.objects.exists())

    def test_add_a_lot_with_htmx_returns_the_lots_fragment(self):
        response = self.client.post(
            reverse("procurement:opportunity-create"),
            opportunity_form_data(**{"add_lot": "1", "lots-TOTAL_FORMS": "1"}),
            headers={"HX-Request": "true"},
        )
        self.assertEqual(response.status_code, 200)
        content = response.content.decode()
        self.assertTrue(content.lstrip().startswith('<div id="lots"'))
        self.assertIn('name="lots-1-lot_id"', content)
        self.assertNotIn("<html", content)

    def test_a_poster_of_several_organisations_chooses_one(self):
        create_membership(user=self.poster, organisation=cluster_body_y())
        response = self.client.get(reverse("procurement:opportunity-create"))
        self.assertContains(response, "Which organisation is posting this opportunity?")
        self.assertContains(response, "?organisation=cluster-body-y")
        response = self.client.post(
            reverse("procurement:opportunity-create") + "?organisation=cluster-body-y",
            opportunity_form_data(),
        )
        self.assertEqual(Opportunity.objects.get().publisher, cluster_body_y())

    def test_an_organisation_the_user_does_not_post_for_is_404(self):
        response = self.client.get(
            reverse("procurement:opportunity-create") + "?organisation=cluster-body-y"
        )
        self.assertEqual(response.status_code, 404)


class EditOpportunityViewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.poster = create_cluster_body_poster()

    def setUp(self):
        self.client.force_login(self.poster)
        self.opportunity = posting.create_opportunity(
            organisation=cluster_body(),
            user=self.poster,
            fields={
                "title": "Data platform",
                "description": "A data platform.",
                "main_category": "services",
                "cpv_codes": ["72300000"],
                "councils": [get_council()],
                "lots": [{"lot_id": "1", "title": "Hosting"}],
            },
        )
        self.url = reverse(
            "procurement:opportunity-edit", kwargs={"public_id": self.opportunity.public_id}
        )

    def test_the_page_shows_the_saved_values(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'value="Data platform"')
        self.assertContains(response, 'value="Hosting"')
        self.assertContains(response, 'name="version" value="1"')
        self.assertContains(
            response,
            reverse(
                "procurement:opportunity-publish", kwargs={"public_id": self.opportunity.public_id}
            ),
        )

    def test_saving_changes(self):
        data = edit_form_data(
            self.opportunity,
            title="Data platform and dashboards",
            **{
                "lots-TOTAL_FORMS": "1",
                "lots-INITIAL_FORMS": "1",
                "lots-0-lot_id": "1",
                "lots-0-title": "Hosting and support",
            },
        )
        response = self.client.post(self.url, data)
        self.assertRedirects(response, self.url)
        self.opportunity.refresh_from_db()
        self.assertEqual(self.opportunity.title, "Data platform and dashboards")
        self.assertEqual(self.opportunity.version, 2)
        self.assertEqual(self.opportunity.lots.get().title, "Hosting and support")

    def test_removing_a_lot(self):
        data = edit_form_data(
            self.opportunity,
            **{
                "lots-TOTAL_FORMS": "1",
                "lots-INITIAL_FORMS": "1",
                "lots-0-lot_id": "1",
                "lots-0-title": "Hosting",
                "lots-0-DELETE": "on",
            },
        )
        self.client.post(self.url, data)
        self.assertFalse(self.opportunity.lots.exists())

    def test_a_save_from_a_stale_tab_is_refused_with_a_clear_message(self):
        stale = edit_form_data(self.opportunity, title="From the old tab")
        posting.update_opportunity(
            opportunity=self.opportunity,
            user=self.poster,
            changes={"title": "Saved elsewhere"},
            expected_version=1,
        )
        response = self.client.post(self.url, stale)
        self.assertContains(response, "Someone else changed this opportunity", status_code=409)
        self.opportunity.refresh_from_db()
        self.assertEqual(self.opportunity.title, "Saved elsewhere")

    def test_the_posting_organisation_cannot_be_changed_by_post(self):
        data = edit_form_data(self.opportunity, publisher=str(cluster_body_y().pk))
        self.client.post(self.url, data)
        self.opportunity.refresh_from_db()
        self.assertEqual(self.opportunity.publisher, cluster_body())

    def test_a_post_without_the_lots_management_form_is_an_error_not_a_crash(self):
        data = edit_form_data(self.opportunity, title="Changed")
        for name in [name for name in data if name.startswith("lots-")]:
            del data[name]
        response = self.client.post(self.url, data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "govuk-error-summary")
        self.opportunity.refresh_from_db()
        self.assertEqual(self.opportunity.title, "Data platform")

    def test_a_refusal_from_the_service_is_shown_on_the_form(self):
        from unittest import mock

        from django.core.exceptions import ValidationError

        refusal = ValidationError({"lots": "Give each lot a different id", "title": "Too long"})
        with mock.patch.object(posting, "update_opportunity", side_effect=refusal):
            response = self.client.post(self.url, edit_form_data(self.opportunity, title="New"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Give each lot a different id")
        self.assertContains(response, 'href="#id_title"')

    def test_the_edit_pages_queries_do_not_grow_with_lots_or_history(self):
        def add_lots_and_history():
            lots = [{"lot_id": str(number), "title": f"Lot {number}"} for number in range(10)]
            for version in range(1, 6):
                posting.update_opportunity(
                    opportunity=self.opportunity,
                    user=self.poster,
                    changes={"lots": lots[: version * 2], "title": f"Title {version}"},
                    expected_version=version,
                )

        edit_page = fetch(self.client, self.url)
        assert_queries_do_not_grow(edit_page, grow=add_lots_and_history)
        self.assertContains(edit_page(), 'name="lots-9-lot_id"')

    def test_the_page_shows_recent_changes(self):
        response = self.client.get(self.url)
        self.assertContains(response, "Created by Dev Poster")

    def test_a_withdrawn_opportunity_shows_no_form(self):
        posting.withdraw_opportunity(opportunity=self.opportunity, user=self.poster)
        response = self.client.get(self.url)
        self.assertContains(response, "can no longer be changed")
        self.assertNotContains(response, 'name="title"')
        response = self.client.post(self.url, edit_form_data(self.opportunity, version="2"))
        self.assertContains(response, "can no longer be changed")


class StatusActionViewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.poster = create_cluster_body_poster()
        cls.moderator = create_moderator()

    def setUp(self):
        self.client.force_login(self.poster)

    def url(self, name, opportunity):
        return reverse(
            f"procurement:opportunity-{name}", kwargs={"public_id": opportunity.public_id}
        )

    def test_publish_asks_for_confirmation_then_opens(self):
        draft = create_opportunity(status=Status.DRAFT)
        response = self.client.get(self.url("publish", draft))
        self.assertContains(response, "Publish this opportunity?")
        draft.refresh_from_db()
        self.assertEqual(draft.status, Status.DRAFT)

        response = self.client.post(self.url("publish", draft))
        self.assertRedirects(response, self.url("edit", draft))
        draft.refresh_from_db()
        self.assertEqual(draft.status, Status.OPEN)

    def test_publishing_with_a_past_deadline_shows_the_error(self):
        draft = create_opportunity(
            status=Status.DRAFT, deadline=timezone.now() - timedelta(hours=2)
        )
        response = self.client.post(self.url("publish", draft))
        self.assertContains(
            response, "The deadline for tenders must be in the future", status_code=409
        )
        self.assertContains(response, "govuk-error-summary", status_code=409)
        draft.refresh_from_db()
        self.assertEqual(draft.status, Status.DRAFT)

    def test_an_unverified_buyers_posting_goes_to_the_moderators(self):
        buyer_poster = create_new_buyer_poster()
        self.client.force_login(buyer_poster)
        draft = create_opportunity(status=Status.DRAFT, publisher=new_buyer())
        response = self.client.get(self.url("publish", draft))
        self.assertContains(response, "A moderator checks every posting")
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.url("publish", draft), follow=True)
        self.assertContains(response, "has been sent to a moderator")
        draft.refresh_from_db()
        self.assertEqual(draft.status, Status.PENDING)
        self.assertEqual(len(mail.outbox), 1)

    def test_close_and_withdraw(self):
        opened = create_opportunity()
        self.client.post(self.url("close", opened))
        opened.refresh_from_db()
        self.assertEqual(opened.status, Status.CLOSED)

        draft = create_opportunity(status=Status.DRAFT)
        self.assertContains(self.client.get(self.url("withdraw", draft)), "You cannot undo this")
        self.client.post(self.url("withdraw", draft))
        draft.refresh_from_db()
        self.assertEqual(draft.status, Status.WITHDRAWN)

    def test_closing_a_draft_is_refused_with_a_message(self):
        draft = create_opportunity(status=Status.DRAFT)
        response = self.client.post(self.url("close", draft))
        self.assertContains(response, "cannot be closed", status_code=409)

    def test_an_action_that_does_not_apply_says_so_without_a_button(self):
        draft = create_opportunity(status=Status.DRAFT)
        response = self.client.get(self.url("close", draft))
        self.assertContains(response, "This opportunity is draft, so you cannot do this.")
        self.assertNotContains(response, "Close to bids</button>")

    def test_approve_is_post_only(self):
        pending = create_opportunity(status=Status.PENDING, publisher=new_buyer())
        self.client.force_login(self.moderator)
        self.assertEqual(self.client.get(self.url("approve", pending)).status_code, 405)


class ModerationViewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.moderator = create_moderator()
        cls.pending = create_opportunity(
            title="Waiting posting", status=Status.PENDING, publisher=new_buyer()
        )
        cls.draft = create_opportunity(title="Not sent", status=Status.DRAFT)

    def test_the_queue_lists_pending_postings(self):
        self.client.force_login(self.moderator)
        response = self.client.get(reverse("procurement:moderation-queue"))
        self.assertContains(response, "Waiting posting")
        self.assertNotContains(response, "Not sent")

    def test_a_moderator_approves(self):
        self.client.force_login(self.moderator)
        response = self.client.post(
            reverse(
                "procurement:opportunity-approve", kwargs={"public_id": self.pending.public_id}
            ),
            follow=True,
        )
        self.assertContains(response, "is approved and open for bids")
        self.pending.refresh_from_db()
        self.assertEqual(self.pending.status, Status.OPEN)

    def test_a_moderator_sees_the_approve_button_on_the_opportunity(self):
        self.client.force_login(self.moderator)
        response = self.client.get(
            reverse("procurement:opportunity-edit", kwargs={"public_id": self.pending.public_id})
        )
        self.assertContains(response, "Approve and publish")

    def test_queue_query_count_is_bounded(self):
        def add_30_pending():
            for number in range(30):
                create_opportunity(
                    title=f"Pending {number}", status=Status.PENDING, publisher=new_buyer()
                )

        self.client.force_login(self.moderator)
        assert_queries_do_not_grow(
            fetch(self.client, reverse("procurement:moderation-queue")), grow=add_30_pending
        )
