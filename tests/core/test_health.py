import pytest
from django.db import connections
from django.db.utils import ConnectionHandler

from portal.core import health

pytestmark = pytest.mark.django_db


def unreachable_database(tmp_path):
    """Connections whose default database cannot be reached: a SQLite file in a folder
    that does not exist, or a PostgreSQL server on a closed port."""
    settings_dict = dict(connections["default"].settings_dict)
    if settings_dict["ENGINE"] == "django.db.backends.sqlite3":
        settings_dict["NAME"] = str(tmp_path / "no-such-folder" / "waymark.sqlite3")
    else:
        settings_dict.update(HOST="127.0.0.1", PORT="1")
    settings_dict["TEST"] = {}
    return ConnectionHandler({"default": settings_dict})


def test_healthz_answers_ok_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies


def test_healthz_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/").status_code == 301


def test_readyz_answers_ready_when_the_database_answers(client, settings):
    settings.CELERY_BROKER_URL = ""

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.content == b"ready"
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies


def test_readyz_is_unavailable_when_the_database_is(client, monkeypatch, tmp_path):
    broken = unreachable_database(tmp_path)
    monkeypatch.setattr(health, "connections", broken)

    try:
        response = client.get("/readyz")
    finally:
        broken.close_all()

    assert response.status_code == 503
    assert response.content == b"database unavailable"
    assert response["Content-Type"].startswith("text/plain")


def test_readyz_is_unavailable_when_the_broker_is(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.content == b"broker unavailable"


def test_database_check_answers_true_for_the_test_database():
    assert health.database_is_available() is True


def test_broker_check_answers_false_for_a_closed_port():
    assert health.broker_is_available("redis://127.0.0.1:1/0", timeout=1) is False
