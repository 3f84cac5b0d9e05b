"""Who may post, edit and approve which opportunity: the rules as a matrix, and the
posting pages enforcing them, with CSRF checks on (every POST carries the token a real
form would)."""

from django.test import Client, TestCase
from django.urls import reverse

from portal.procurement.models import Opportunity, OpportunityChange, Status
from portal.procurement.rules import (
    can_approve_opportunity,
    can_edit_opportunity,
    can_post_for,
    can_post_opportunities,
    opportunities_editable_by,
    organisations_user_posts_for,
)
from tests.base import PersonasTestCase, permission_matrix
from tests.factories import (
    cluster_body,
    cluster_body_y,
    create_opportunity,
    new_buyer,
)
from tests.procurement.test_posting_views import edit_form_data, opportunity_form_data


def create_opportunities():
    return {
        "x": create_opportunity(publisher=cluster_body(), status=Status.DRAFT),
        "y": create_opportunity(publisher=cluster_body_y(), status=Status.DRAFT),
        "pending": create_opportunity(publisher=new_buyer(), status=Status.PENDING),
        "imported": create_opportunity(publisher=None, source="imported"),
    }


def csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get(reverse("procurement:posting-dashboard"))
    return client


def token(client) -> str:
    return client.cookies["csrftoken"].value


def action_urls(opportunity):
    return {
        name: reverse(
            f"procurement:opportunity-{name}", kwargs={"public_id": opportunity.public_id}
        )
        for name in ("edit", "publish", "close", "withdraw", "approve")
    }


class OtherOrganisationTests(PersonasTestCase):
    """An editor of cluster body X gets 404 on everything of Y's, and cannot move an
    opportunity to Y."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.theirs = create_opportunity(
            title="Y's opportunity", publisher=cluster_body_y(), status=Status.OPEN
        )
        cls.ours = create_opportunity(title="X's opportunity", status=Status.DRAFT)

    def setUp(self):
        self.client = csrf_client(self.cluster_body_poster)

    def test_every_page_and_action_of_ys_opportunity_is_404(self):
        for name, url in action_urls(self.theirs).items():
            with self.subTest(page=name, method="GET"):
                expected = 405 if name == "approve" else 404
                self.assertEqual(self.client.get(url).status_code, expected)
            with self.subTest(page=name, method="POST"):
                response = self.client.post(
                    url,
                    edit_form_data(self.theirs, title="Taken over")
                    | {"csrfmiddlewaretoken": token(self.client)},
                )
                self.assertEqual(response.status_code, 404)
        self.theirs.refresh_from_db()
        self.assertEqual((self.theirs.title, self.theirs.status), ("Y's opportunity", "open"))
        self.assertFalse(OpportunityChange.objects.exists())

    def test_the_lots_fragment_of_ys_opportunity_is_404(self):
        response = self.client.post(
            action_urls(self.theirs)["edit"],
            {"add_lot": "1", "lots-TOTAL_FORMS": "0", "csrfmiddlewaretoken": token(self.client)},
            headers={"HX-Request": "true"},
        )
        self.assertEqual(response.status_code, 404)

    def test_an_opportunity_cannot_be_reassigned_to_y(self):
        response = self.client.post(
            action_urls(self.ours)["edit"],
            edit_form_data(
                self.ours,
                publisher=str(cluster_body_y().pk),
                buyer=str(cluster_body_y().pk),
                organisation="cluster-body-y",
            )
            | {"csrfmiddlewaretoken": token(self.client)},
        )
        self.assertEqual(response.status_code, 302)
        self.ours.refresh_from_db()
        self.assertEqual(self.ours.publisher, cluster_body())

    def test_cannot_create_an_opportunity_for_y(self):
        response = self.client.post(
            reverse("procurement:opportunity-create") + "?organisation=cluster-body-y",
            opportunity_form_data() | {"csrfmiddlewaretoken": token(self.client)},
        )
        self.assertEqual(response.status_code, 404)
        response = self.client.post(
            reverse("procurement:opportunity-create"),
            opportunity_form_data(publisher=str(cluster_body_y().pk))
            | {"csrfmiddlewaretoken": token(self.client)},
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            Opportunity.objects.exclude(pk__in=[self.theirs.pk, self.ours.pk]).get().publisher,
            cluster_body(),
        )

    def test_ys_opportunities_are_not_on_xs_dashboard(self):
        response = self.client.get(reverse("procurement:posting-dashboard"))
        self.assertContains(response, "X&#x27;s opportunity")
        self.assertNotContains(response, "Y&#x27;s opportunity")

    def test_imported_opportunities_are_404_even_for_moderators(self):
        imported = create_opportunity(publisher=None, source="imported")
        client = csrf_client(self.moderator)
        self.assertEqual(client.get(action_urls(imported)["edit"]).status_code, 404)


class AnonymousTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.opportunity = create_opportunity(status=Status.PENDING, publisher=new_buyer())

    def test_every_posting_page_sends_to_sign_in(self):
        sign_in = reverse("accounts:sign-in")
        urls = [
            reverse("procurement:posting-dashboard"),
            reverse("procurement:opportunity-create"),
            reverse("procurement:moderation-queue"),
            *action_urls(self.opportunity).values(),
        ]
        for url in urls:
            with self.subTest(url=url):
                response = (
                    self.client.post(url) if url.endswith("/approve/") else self.client.get(url)
                )
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith(sign_in))
        self.opportunity.refresh_from_db()
        self.assertEqual(self.opportunity.status, Status.PENDING)


class CsrfTests(PersonasTestCase):
    def test_every_post_without_the_token_is_403_and_changes_nothing(self):
        draft = create_opportunity(status=Status.DRAFT)
        opened = create_opportunity(status=Status.OPEN)
        client = csrf_client(self.cluster_body_poster)
        cases = [
            (reverse("procurement:opportunity-create"), opportunity_form_data()),
            (action_urls(draft)["edit"], edit_form_data(draft, title="Changed")),
            (action_urls(draft)["publish"], {}),
            (action_urls(draft)["withdraw"], {}),
            (action_urls(opened)["close"], {}),
        ]
        for url, data in cases:
            with self.subTest(url=url):
                self.assertEqual(client.post(url, data).status_code, 403)
        draft.refresh_from_db()
        opened.refresh_from_db()
        self.assertEqual((draft.status, draft.version), (Status.DRAFT, 1))
        self.assertEqual(opened.status, Status.OPEN)
        self.assertEqual(Opportunity.objects.count(), 2)

    def test_with_the_token_the_same_posts_work(self):
        draft = create_opportunity(status=Status.DRAFT)
        client = csrf_client(self.cluster_body_poster)
        response = client.post(
            action_urls(draft)["publish"], {"csrfmiddlewaretoken": token(client)}
        )
        self.assertEqual(response.status_code, 302)
        draft.refresh_from_db()
        self.assertEqual(draft.status, Status.OPEN)

    def test_approve_without_the_token_is_403(self):
        pending = create_opportunity(status=Status.PENDING, publisher=new_buyer())
        client = csrf_client(self.moderator)
        self.assertEqual(client.post(action_urls(pending)["approve"]).status_code, 403)
        pending.refresh_from_db()
        self.assertEqual(pending.status, Status.PENDING)


class ApprovalTests(PersonasTestCase):
    def setUp(self):
        self.pending = create_opportunity(status=Status.PENDING, publisher=new_buyer())

    def test_a_moderator_can_approve(self):
        client = csrf_client(self.moderator)
        response = client.post(
            action_urls(self.pending)["approve"], {"csrfmiddlewaretoken": token(client)}
        )
        self.assertRedirects(response, reverse("procurement:moderation-queue"))
        self.pending.refresh_from_db()
        self.assertEqual(self.pending.status, Status.OPEN)

    def test_a_non_moderator_cannot_approve_even_their_own(self):
        for user in (self.new_buyer_poster, self.cluster_body_poster):
            client = csrf_client(user)
            with self.subTest(user=user.email):
                response = client.post(
                    action_urls(self.pending)["approve"], {"csrfmiddlewaretoken": token(client)}
                )
                self.assertEqual(response.status_code, 404)
                self.assertEqual(
                    client.get(reverse("procurement:moderation-queue")).status_code, 403
                )
        self.pending.refresh_from_db()
        self.assertEqual(self.pending.status, Status.PENDING)

    def test_the_owner_does_not_see_the_approve_button(self):
        client = csrf_client(self.new_buyer_poster)
        response = client.get(action_urls(self.pending)["edit"])
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Approve and publish")


# Each rule as a function of a user and the opportunities of create_opportunities().
RULES = {
    "can_post": lambda user, o: can_post_opportunities(user),
    "can_post_for_x": lambda user, o: can_post_for(user, cluster_body()),
    "can_post_for_y": lambda user, o: can_post_for(user, cluster_body_y()),
    "can_edit_x": lambda user, o: can_edit_opportunity(user, o["x"]),
    "can_edit_y": lambda user, o: can_edit_opportunity(user, o["y"]),
    "can_edit_pending": lambda user, o: can_edit_opportunity(user, o["pending"]),
    "can_edit_imported": lambda user, o: can_edit_opportunity(user, o["imported"]),
    "can_approve_pending": lambda user, o: can_approve_opportunity(user, o["pending"]),
}
# Each query against the rule it must agree with, on the candidates it may list.
QUERIES = {
    "opportunities_editable_by": (
        opportunities_editable_by,
        can_edit_opportunity,
        lambda opportunities: Opportunity.objects.all(),
    ),
    "organisations_user_posts_for": (
        organisations_user_posts_for,
        can_post_for,
        lambda opportunities: [cluster_body(), cluster_body_y(), new_buyer()],
    ),
}

DENIED = dict.fromkeys(RULES, False)
MODERATOR = dict.fromkeys(RULES, True) | {"can_edit_imported": False}
EXPECTED = {
    "anonymous": DENIED,
    "cluster_body_poster": DENIED | {"can_post": True, "can_post_for_x": True, "can_edit_x": True},
    "cluster_body_y_poster": DENIED
    | {"can_post": True, "can_post_for_y": True, "can_edit_y": True},
    "new_buyer_poster": DENIED | {"can_post": True, "can_edit_pending": True},
    "council_a_curator": DENIED,
    "moderator": MODERATOR,
    "superuser": MODERATOR,
    "inactive_superuser": DENIED,
}


TestOpportunityMatrix = permission_matrix(RULES, EXPECTED, QUERIES, create_opportunities)
