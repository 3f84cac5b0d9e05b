"""portal/lib/links.py: pages link to the address in use where SITE_URL is not set;
emails and feeds never follow a request's Host header."""

from django.test import RequestFactory, SimpleTestCase, override_settings

from portal.lib.links import DEVELOPMENT_SITE_URL, page_url, site_url
from portal.lib.mail import absolute_url

SITE_URL = "https://waymark.example.org"


@override_settings(ALLOWED_HOSTS=["waymark.internal"])
class LinksTests(SimpleTestCase):
    def request(self, **extra):
        return RequestFactory().get("/diagnostic/", HTTP_HOST="waymark.internal:8080", **extra)

    @override_settings(SITE_URL="")
    def test_without_site_url_a_page_links_to_the_address_in_use(self):
        self.assertEqual(
            page_url(self.request(), "/diagnostic/x/"),
            "http://waymark.internal:8080/diagnostic/x/",
        )
        secure = self.request(secure=True)
        self.assertEqual(page_url(secure, "/x/"), "https://waymark.internal:8080/x/")

    @override_settings(SITE_URL="")
    def test_without_site_url_emails_link_to_the_development_server_not_the_request(self):
        self.assertEqual(site_url(), DEVELOPMENT_SITE_URL)
        self.assertEqual(absolute_url("accounts:account"), DEVELOPMENT_SITE_URL + "/account/")

    @override_settings(SITE_URL=SITE_URL)
    def test_with_site_url_pages_and_emails_link_to_it(self):
        self.assertEqual(page_url(self.request(), "/x/"), SITE_URL + "/x/")
        self.assertEqual(site_url(), SITE_URL)
        self.assertEqual(absolute_url("accounts:account"), SITE_URL + "/account/")


class LocalPathTests(SimpleTestCase):
    def test_only_paths_on_this_site_are_kept(self):
        from django.test import RequestFactory

        from portal.lib.links import local_path

        request = RequestFactory().get("/")
        kept = ["/support/", "/support/?q=grant", "/"]
        dropped = [
            "0",
            "core:home",
            "https://evil.example/",
            "//evil.example",
            "/\\evil.example",
            "javascript:alert(1)",
            "/\x01",
            "",
            "evil.example/path",
        ]
        for candidate in kept:
            self.assertEqual(local_path(request, candidate), candidate)
        for candidate in dropped:
            self.assertEqual(local_path(request, candidate), "", candidate)
