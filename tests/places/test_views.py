from django.test import TestCase
from django.urls import reverse

from portal.places.models import Council
from tests.queries import assert_queries_do_not_grow, count_queries, fetch


class CouncilChooseViewTests(TestCase):
    url = reverse("places:council-choose")

    def test_shows_the_grouped_picker(self):
        response = self.client.get(self.url)

        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "places/council_choose.html")
        self.assertContains(response, "Where is your business?")
        self.assertContains(response, 'data-module="council-picker"')
        self.assertContains(response, "<optgroup", count=12)
        self.assertContains(response, 'name="council"')
        self.assertContains(response, "js/pickers.js")
        self.assertNotContains(response, "govuk-error-summary")

    def test_picker_script_carries_the_csp_nonce(self):
        response = self.client.get(self.url)

        nonce = response.context["csp_nonce"]
        self.assertContains(response, f'nonce="{nonce}" type="module"')

    def test_valid_council_redirects_to_its_page(self):
        response = self.client.get(self.url, {"council": "E08000037"})

        self.assertRedirects(
            response,
            reverse("places:council-detail", kwargs={"gss_code": "E08000037"}),
            fetch_redirect_response=False,
        )
        self.assertEqual(response.status_code, 302)

    def test_empty_choice_shows_the_error_summary(self):
        response = self.client.get(self.url, {"council": ""})

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "govuk-error-summary")
        self.assertContains(response, "Select the council where your business is")
        self.assertRegex(response.content.decode(), r"<title>\s*Error: Where is your business\?")

    def test_unknown_council_shows_the_error_summary(self):
        response = self.client.get(self.url, {"council": "E99999999"})

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "govuk-error-summary")
        self.assertContains(response, "Select the council where your business is")

    def test_queries_do_not_grow_with_the_number_of_councils(self):
        hidden = list(
            Council.objects.filter(active=True)
            .exclude(pk__in=Council.objects.order_by("gss_code").values("pk")[:10])
            .values_list("pk", flat=True)
        )
        Council.objects.filter(pk__in=hidden).update(active=False)

        assert_queries_do_not_grow(
            fetch(self.client, self.url),
            grow=lambda: Council.objects.filter(pk__in=hidden).update(active=True),
            maximum=2,
        )

    def test_submitted_form_runs_a_bounded_number_of_queries(self):
        found = fetch(self.client, self.url, {"council": "E08000037"}, status=302)
        self.assertLessEqual(count_queries(found), 2)
        self.assertLessEqual(
            count_queries(fetch(self.client, self.url, {"council": "E99999999"})), 3
        )


class CouncilDetailViewTests(TestCase):
    def test_shows_the_council_with_its_region_and_nation(self):
        response = self.client.get(reverse("places:council-detail", args=["E08000037"]))

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Businesses in Gateshead")
        self.assertContains(response, "Gateshead Metropolitan Borough Council")
        self.assertContains(response, "North East")
        self.assertContains(response, "England")

    def test_leads_on_to_the_councils_support_and_contracts(self):
        response = self.client.get(reverse("places:council-detail", args=["E08000037"]))

        self.assertContains(response, f'href="{reverse("catalogue:search")}?place=E08000037"')
        self.assertContains(response, f'href="{reverse("procurement:list")}?council=E08000037"')
        self.assertContains(response, f'href="{reverse("diagnostics:start")}"')

    def test_url_is_readable(self):
        self.assertEqual(
            reverse("places:council-detail", args=["W06000015"]), "/places/W06000015/"
        )

    def test_unknown_code_is_404(self):
        response = self.client.get("/places/E99999999/")

        self.assertEqual(response.status_code, 404)

    def test_something_that_is_not_a_code_is_404(self):
        self.assertEqual(self.client.get("/places/gateshead/").status_code, 404)

    def test_switched_off_council_is_404(self):
        Council.objects.filter(gss_code="E08000037").update(active=False)

        response = self.client.get("/places/E08000037/")

        self.assertEqual(response.status_code, 404)

    def test_runs_one_query(self):
        with self.assertNumQueries(1):
            self.client.get("/places/S12000033/")


class CouncilSearchViewTests(TestCase):
    url = reverse("places:council-search")

    def test_names_starting_with_the_query_come_first(self):
        response = self.client.get(self.url, {"q": "north"})

        names = [result["name"] for result in response.json()["results"]]
        self.assertTrue(names[0].startswith("North"))
        starts = [name.lower().startswith("north") for name in names]
        self.assertEqual(starts, sorted(starts, reverse=True))

    def test_result_carries_code_region_and_nation(self):
        response = self.client.get(self.url, {"q": "Gateshead"})

        self.assertEqual(
            response.json(),
            {
                "results": [
                    {
                        "gss_code": "E08000037",
                        "name": "Gateshead",
                        "region": "North East",
                        "nation": "England",
                    }
                ]
            },
        )

    def test_results_are_limited_and_take_one_query(self):
        with self.assertNumQueries(1):
            response = self.client.get(self.url, {"q": "e"})

        self.assertEqual(len(response.json()["results"]), 20)
