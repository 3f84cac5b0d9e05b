"""English and Cymraeg: Welsh pages under /cy/, the addresses that stay unprefixed, the
language switcher and hreflang alternates, and the remembered choice
(portal/core/languages.py)."""

import re

from django.conf import settings
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import translation

from diagnostics.tokens import make_resume_token
from tests.diagnostics.examples import TRADING_PUBLIC
from tests.factories import create_assessment, create_offer, get_council
from tests.queries import count_queries

COOKIE = settings.LANGUAGE_COOKIE_NAME


def welsh(name: str, **kwargs) -> str:
    with translation.override("cy"):
        return reverse(name, kwargs=kwargs or None)


def switcher(response) -> str:
    html = response.content.decode()
    match = re.search(r'<nav class="waymark-language-select.*?</nav>', html, re.S)
    assert match, "no language switcher"
    return match.group(0)


class WelshPagesTests(TestCase):
    def test_a_welsh_page_is_in_welsh_with_lang_cy(self):
        response = self.client.get("/cy/")

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<html lang="cy" class="govuk-template">')
        self.assertEqual(response["Content-Language"], "cy")
        self.assertContains(response, "Neidio i’r prif gynnwys")
        self.assertContains(response, "Hafan")
        self.assertNotContains(response, "Skip to main content")

    def test_the_english_page_is_unprefixed_with_lang_en_gb(self):
        response = self.client.get("/")

        self.assertContains(response, '<html lang="en-gb" class="govuk-template">')
        self.assertContains(response, "Skip to main content")

    def test_links_on_a_welsh_page_stay_in_welsh(self):
        response = self.client.get("/cy/")

        self.assertContains(response, 'href="/cy/support/"')
        self.assertContains(response, 'href="/cy/privacy/"')
        self.assertNotContains(response, 'href="/support/"')

    def test_the_welsh_diagnostic_start_page(self):
        response = self.client.get("/cy/diagnostic/")

        self.assertContains(response, '<html lang="cy"')
        self.assertContains(response, "Dechrau nawr")
        self.assertContains(response, 'action="/cy/diagnostic/"')

    def test_an_unknown_welsh_address_is_the_404_page(self):
        self.assertEqual(self.client.get("/cy/no-such-page/").status_code, 404)
        self.assertEqual(self.client.get("/cy/cy/").status_code, 404)


class UnprefixedAddressesTests(TestCase):
    """The APIs, health checks, robots.txt, sitemap.xml and the admin keep one address."""

    def test_they_answer_unprefixed_and_not_under_cy(self):
        for path in (
            "/healthz",
            "/readyz",
            "/robots.txt",
            "/sitemap.xml",
            "/api/ocds/releases",
            "/api/openreferral/services",
        ):
            with self.subTest(path=path):
                self.assertEqual(self.client.get(path).status_code, 200)
                self.assertEqual(self.client.get("/cy" + path).status_code, 404)
        self.assertRedirects(
            self.client.get("/admin/"), "/admin/login/?next=/admin/", fetch_redirect_response=False
        )
        self.assertEqual(self.client.get("/cy/admin/").status_code, 404)

    def test_they_are_not_redirected_for_a_welsh_reader(self):
        self.client.cookies[COOKIE] = "cy"
        for path in ("/healthz", "/robots.txt", "/sitemap.xml", "/api/ocds/releases"):
            with self.subTest(path=path):
                self.assertEqual(self.client.get(path).status_code, 200)

    def test_robots_txt_asks_crawlers_to_leave_the_welsh_private_pages_alone_too(self):
        body = self.client.get("/robots.txt").content.decode()

        self.assertIn("Disallow: /diagnostic/\n", body)
        self.assertIn("Disallow: /cy/diagnostic/\n", body)
        self.assertIn("Disallow: /admin/\n", body)
        self.assertNotIn("/cy/admin/", body)


class EmailedLinksTests(TestCase):
    """Links in emails sent before Welsh existed are unprefixed: they still open."""

    @classmethod
    def setUpTestData(cls):
        get_council(gss_code=TRADING_PUBLIC["council"])

    def test_an_old_resume_link_opens_and_its_welsh_twin_too(self):
        assessment = create_assessment(sections=2)
        token = make_resume_token(assessment.public_id)
        english = reverse("diagnostics:resume", args=[assessment.public_id, token])

        old = Client().get(english)
        self.assertEqual(old.status_code, 302)
        self.assertTrue(old["Location"].startswith("/diagnostic/"), old["Location"])
        new = Client().get("/cy" + english)
        self.assertEqual(new.status_code, 302)
        self.assertTrue(new["Location"].startswith("/cy/diagnostic/"), new["Location"])

    def test_an_old_link_read_by_a_welsh_reader_goes_to_the_welsh_page(self):
        assessment = create_assessment(sections=2)
        token = make_resume_token(assessment.public_id)
        english = reverse("diagnostics:resume", args=[assessment.public_id, token])
        client = Client()
        client.cookies[COOKIE] = "cy"

        response = client.get(english)

        self.assertRedirects(response, "/cy" + english, fetch_redirect_response=False)
        self.assertEqual(client.get(response["Location"]).status_code, 302)


class SwitcherTests(TestCase):
    def test_an_english_page_offers_cymraeg_as_a_link_to_its_twin(self):
        response = self.client.get("/support/?q=grant")
        nav = switcher(response)

        self.assertIn('aria-label="Language switcher"', nav)
        self.assertIn('<span aria-current="true">English</span>', nav)
        self.assertIn(
            '<a class="govuk-link" href="/language/cy/?next=%2Fsupport%2F%3Fq%3Dgrant" '
            'hreflang="cy" lang="cy" rel="alternate">',
            nav,
        )
        self.assertIn("Newid yr iaith i’r Gymraeg", nav)
        self.assertNotIn('href="/language/en-gb/', nav)

    def test_a_welsh_page_offers_english(self):
        nav = switcher(self.client.get("/cy/support/"))

        self.assertIn('aria-label="Dewis iaith"', nav)
        self.assertIn('<span aria-current="true">Cymraeg</span>', nav)
        self.assertIn(
            'href="/language/en-gb/?next=%2Fcy%2Fsupport%2F" hreflang="en-gb" lang="en-gb"', nav
        )
        self.assertIn("Change the language to English", nav)

    def test_every_page_has_hreflang_alternates_for_both_languages(self):
        offer = create_offer(status="published")
        path = reverse("catalogue:offer", args=[offer.slug])
        for url in (path, "/cy" + path):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertContains(
                    response,
                    f'<link rel="alternate" hreflang="en-gb" href="http://testserver{path}">',
                )
                self.assertContains(
                    response,
                    f'<link rel="alternate" hreflang="cy" href="http://testserver/cy{path}">',
                )
                self.assertContains(
                    response,
                    f'<link rel="alternate" hreflang="x-default" href="http://testserver{path}">',
                )

    def test_the_alternates_are_on_site_url_where_it_is_set(self):
        with self.settings(SITE_URL="https://waymark.example.org"):
            response = self.client.get("/cy/support/")
        self.assertContains(
            response,
            '<link rel="alternate" hreflang="en-gb" href="https://waymark.example.org/support/">',
        )

    def test_the_error_pages_have_no_switcher(self):
        response = self.client.get("/no-such-page/")
        self.assertEqual(response.status_code, 404)
        self.assertNotContains(response, "waymark-language-select", status_code=404)

    def test_the_switcher_costs_no_query(self):
        self.client.get("/privacy/")  # warm the kept header and footer
        self.client.get("/cy/privacy/")
        self.assertEqual(count_queries(lambda: self.client.get("/cy/privacy/")), 0)


class RememberedChoiceTests(TestCase):
    def test_choosing_welsh_sets_the_cookie_and_goes_to_the_welsh_twin(self):
        response = self.client.get("/language/cy/", {"next": "/support/?q=grant"})

        self.assertRedirects(response, "/cy/support/?q=grant", fetch_redirect_response=False)
        cookie = response.cookies[COOKIE]
        self.assertEqual(cookie.value, "cy")
        self.assertEqual(cookie["max-age"], settings.LANGUAGE_COOKIE_AGE)
        self.assertTrue(cookie["httponly"])
        self.assertEqual(cookie["samesite"], "Lax")

    def test_an_unprefixed_page_then_redirects_to_its_welsh_twin(self):
        self.client.get("/language/cy/", {"next": "/"})

        response = self.client.get("/contracts/?sort=newest")

        self.assertRedirects(response, "/cy/contracts/?sort=newest", fetch_redirect_response=False)
        self.assertIn("Cookie", response["Vary"])

    def test_choosing_english_again_sets_it_back(self):
        self.client.get("/language/cy/", {"next": "/"})

        response = self.client.get("/language/en-gb/", {"next": "/cy/contracts/"})

        self.assertRedirects(response, "/contracts/", fetch_redirect_response=False)
        self.assertEqual(self.client.get("/contracts/").status_code, 200)

    def test_the_switcher_round_trip_keeps_the_page_and_its_query(self):
        response = self.client.get("/support/?q=grant&page=1")
        link = re.search(r'href="(/language/cy/[^"]+)"', switcher(response)).group(1)

        welsh_page = self.client.get(link.replace("&amp;", "&"), follow=True)

        self.assertEqual(welsh_page.redirect_chain[-1][0], "/cy/support/?q=grant&page=1")
        self.assertContains(welsh_page, '<html lang="cy"')

    def test_a_post_is_never_redirected(self):
        self.client.cookies[COOKIE] = "cy"

        response = self.client.post("/contracts/")

        self.assertEqual(response.status_code, 405)

    def test_next_elsewhere_goes_home_and_an_unknown_language_is_404(self):
        for next_path in ("https://evil.example.com/", "//evil.example.com/", "support"):
            with self.subTest(next=next_path):
                response = self.client.get("/language/cy/", {"next": next_path})
                self.assertRedirects(response, "/cy/", fetch_redirect_response=False)
        self.assertEqual(self.client.get("/language/fr/").status_code, 404)
        self.assertEqual(self.client.get("/language/cy/").status_code, 302)

    def test_a_next_with_no_welsh_twin_is_kept_as_it_is(self):
        response = self.client.get("/language/cy/", {"next": "/api/ocds/releases"})

        self.assertRedirects(response, "/api/ocds/releases", fetch_redirect_response=False)

    def test_choosing_is_a_get_that_changes_nothing_else(self):
        self.assertEqual(self.client.post("/language/cy/").status_code, 405)
        response = self.client.head("/language/cy/", {"next": "/"})
        self.assertEqual(response.status_code, 302)

    def test_welsh_url_of_a_page_is_its_english_one_under_cy(self):
        self.assertEqual(welsh("catalogue:search"), "/cy/support/")
        self.assertEqual(welsh("healthz"), "/healthz")
