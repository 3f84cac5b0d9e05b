"""Error pages with DEBUG off, under the production security settings: a 404, a 400, a
403 and a 500 (views of tests/core/urls.py that raise), as pages and from the APIs,
show no traceback, setting, SQL or exception text, and carry the security headers."""

import pytest
from django.test import Client

from tests.security.test_headers import header_problems

LEAKS = (
    "Traceback",
    'File "',
    "Something went wrong in a view",  # the exception's own message (tests/core/urls.py)
    "A request that makes no sense",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASES",
    "INSTALLED_APPS",
    "settings.py",
    "SELECT ",
    "INSERT INTO",
    "sqlite",
    "psycopg",
)


def leaks(response) -> list[str]:
    body = response.content.decode(errors="replace")
    return [word for word in LEAKS if word in body]


@pytest.fixture
def error_urls(production):
    """The site's URLs plus views that raise each error (tests/core/urls.py)."""
    production.ROOT_URLCONF = "tests.core.urls"


@pytest.mark.django_db
@pytest.mark.usefixtures("error_urls")
class TestErrorPages:
    @pytest.mark.parametrize(
        ("path", "status"),
        [
            ("/no-such-page/", 404),
            ("/test/suspicious/", 400),
            ("/test/forbidden/", 403),
            ("/test/broken/", 500),
            ("/api/test/suspicious/", 400),
            ("/api/test/forbidden/", 403),
            ("/api/test/broken/", 500),
            ("/api/ocds/no-such-thing", 404),
        ],
    )
    def test_error_pages_show_no_traceback_setting_or_sql(self, path, status):
        client = Client(raise_request_exception=False)
        response = client.get(path, secure=True)
        assert response.status_code == status
        assert not leaks(response)
        assert not header_problems(response, private=False)

    @pytest.mark.parametrize("path", ["/", "/api/ocds/releases"])
    def test_a_host_not_allowed_is_a_400_naming_no_setting(self, path):
        response = Client().get(path, secure=True, HTTP_HOST="evil.example")
        assert response.status_code == 400
        assert not leaks(response)
        assert b"evil.example" not in response.content
