"""A NUL character in an address is a bad request (400), never a database error (500):
PostgreSQL refuses text holding one."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/support/?q=digital%00",
        "/contracts/?council=%00",
        "/contracts/?q%00=x",
        "/contracts/alerts/manage/%00/",
    ],
)
def test_a_nul_character_in_the_address_is_a_bad_request(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert b"govuk-heading" in response.content


@pytest.mark.parametrize(
    "url",
    [
        "/api/ocds/releases/ocds-%00",
        "/api/ocds/releases?cursor=%00",
        "/api/openreferral/services?search=%00",
        "/api/openreferral/services/%00",
    ],
)
def test_a_nul_character_in_an_api_address_is_a_json_bad_request(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == 400


def test_addresses_without_one_are_untouched(client):
    assert client.get(reverse("procurement:list"), {"q": "cloud"}).status_code == 200
