"""Settings come from environment variables with safe development defaults.

The settings module is loaded in a fresh interpreter for each environment, as a
deployment would load it, so nothing here depends on the test settings.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.lib.environment import (
    cache_from_url,
    env_bool,
    env_int,
    env_list,
    mailer_from_url,
)

PROJECT_DIR = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "waymark.example.org",
    "SITE_URL": "https://waymark.example.org",
    "DATABASE_URL": "postgres://waymark:secret@db.internal:5432/waymark",
    "CELERY_BROKER_URL": "redis://cache.internal:6379/0",
    "EMAIL_URL": "smtp://mailer:p%40ss@smtp.example.org:587",
    "CACHE_URL": "redis://cache.internal:6379/1",
}
SETTING_NAMES = [
    "DEBUG",
    "ALLOWED_HOSTS",
    "SITE_URL",
    "DEPLOYMENT_NAME",
    "CELERY_BROKER_URL",
    "CELERY_TASK_ALWAYS_EAGER",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_HTTPONLY",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "MAILERS",
    "CACHES",
    "OCDS_FEEDS",
    "CELERY_BEAT_SCHEDULE",
]


def clean_environment(**variables):
    names = {
        *PRODUCTION,
        "DEPLOYMENT_NAME",
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "CACHE_URL",
        "CACHE_KEY_PREFIX",
    }
    environment = {key: value for key, value in os.environ.items() if key not in names}
    environment["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    environment.update(variables)
    return environment


def load_settings(**variables):
    """The settings a process started with these variables sees, as JSON."""
    script = (
        "import json, django; from django.conf import settings; django.setup(); "
        "database = settings.DATABASES['default']; "
        f"values = {{name: getattr(settings, name) for name in {SETTING_NAMES!r}}}; "
        "values['DATABASE'] = {key: database.get(key) for key in "
        "('ENGINE', 'NAME', 'HOST', 'CONN_HEALTH_CHECKS', 'CONN_MAX_AGE')}; "
        "values['PROXY'] = list(getattr(settings, 'SECURE_PROXY_SSL_HEADER', None) or []); "
        "print(json.dumps(values, default=str))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_DIR,
        env=clean_environment(**variables),
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def test_development_defaults_need_no_variables():
    values = load_settings()
    assert values["DEBUG"] is True
    assert values["DATABASE"]["ENGINE"] == "django.db.backends.sqlite3"
    assert values["DATABASE"]["NAME"].endswith("db.sqlite3")
    assert values["DATABASE"]["CONN_HEALTH_CHECKS"] is True
    assert values["CELERY_BROKER_URL"] == ""
    assert values["CELERY_TASK_ALWAYS_EAGER"] is True
    assert values["MAILERS"]["default"]["BACKEND"].endswith("console.EmailBackend")
    assert values["CACHES"]["default"]["BACKEND"].endswith("locmem.LocMemCache")
    # Not set: pages link to the address in use, emails to the development server.
    assert values["SITE_URL"] == ""
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0


def test_production_variables_are_read():
    values = load_settings(**PRODUCTION, DEPLOYMENT_NAME="North East")
    assert values["DEBUG"] is False
    assert values["ALLOWED_HOSTS"] == ["waymark.example.org"]
    assert values["SITE_URL"] == "https://waymark.example.org"
    assert values["DEPLOYMENT_NAME"] == "North East"
    assert values["DATABASE"] == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "waymark",
        "HOST": "db.internal",
        "CONN_HEALTH_CHECKS": True,
        "CONN_MAX_AGE": 60,
    }
    assert values["CELERY_BROKER_URL"] == "redis://cache.internal:6379/0"
    assert values["CELERY_TASK_ALWAYS_EAGER"] is False
    smtp = values["MAILERS"]["default"]
    assert smtp["BACKEND"].endswith("smtp.EmailBackend")
    assert smtp["OPTIONS"]["host"] == "smtp.example.org"
    assert smtp["OPTIONS"]["password"] == "p@ss"
    assert smtp["OPTIONS"]["use_tls"] is True
    assert values["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/1",
    }


def test_cache_key_prefix_keeps_one_sites_keys_apart_on_a_shared_cache():
    values = load_settings(CACHE_URL="redis://cache.internal:6379/1", CACHE_KEY_PREFIX="staging")
    assert values["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/1",
        "KEY_PREFIX": "staging",
    }


def test_production_cookies_and_https_are_secure():
    values = load_settings(**PRODUCTION)
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["CSRF_COOKIE_HTTPONLY"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 60 * 60 * 24 * 365
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["SECURE_REFERRER_POLICY"]


def test_ssl_redirect_can_be_left_to_a_proxy():
    values = load_settings(**PRODUCTION, SECURE_SSL_REDIRECT="false", SECURE_PROXY_SSL_HEADER="1")
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["PROXY"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_production_without_a_secret_key_refuses_to_start():
    environment = {key: value for key, value in PRODUCTION.items() if key != "SECRET_KEY"}
    completed = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=PROJECT_DIR,
        env=clean_environment(**environment),
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is false." in completed.stderr


def test_production_without_a_site_url_refuses_to_start():
    # Emails are read away from the site: without SITE_URL they could not link back.
    environment = {key: value for key, value in PRODUCTION.items() if key != "SITE_URL"}
    completed = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=PROJECT_DIR,
        env=clean_environment(**environment),
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode != 0
    assert "SITE_URL must be set when DEBUG is false" in completed.stderr


def test_a_site_url_ending_in_a_slash_is_read_without_it():
    assert load_settings(SITE_URL="https://waymark.example.org/")["SITE_URL"] == (
        "https://waymark.example.org"
    )


def test_check_deploy_passes_with_production_variables():
    completed = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_DIR,
        env=clean_environment(**PRODUCTION),
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("1", True), ("Yes", True), ("on", True), ("false", False), ("0", False)],
)
def test_env_bool_reads_common_words(value, expected):
    assert env_bool("DEBUG", default=not expected, environ={"DEBUG": value}) is expected


def test_env_bool_rejects_other_words_naming_the_variable():
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be true or false"):
        env_bool("DEBUG", default=True, environ={"DEBUG": "maybe"})


def test_env_bool_and_int_fall_back_to_defaults():
    assert env_bool("DEBUG", default=True, environ={}) is True
    assert env_int("CONN_MAX_AGE", 60, environ={}) == 60


def test_env_int_rejects_words():
    with pytest.raises(ImproperlyConfigured, match="CONN_MAX_AGE must be a whole number"):
        env_int("CONN_MAX_AGE", 60, environ={"CONN_MAX_AGE": "sixty"})


def test_env_list_splits_on_commas_and_drops_blanks():
    environ = {"ALLOWED_HOSTS": " a.example , b.example,, "}
    assert env_list("ALLOWED_HOSTS", [], environ=environ) == ["a.example", "b.example"]
    assert env_list("ALLOWED_HOSTS", ["x"], environ={}) == ["x"]


def test_email_url_console_and_smtps():
    assert mailer_from_url("console:") == {
        "BACKEND": "django.core.mail.backends.console.EmailBackend"
    }
    smtps = mailer_from_url("smtps://user@mail.example.org")
    assert smtps["OPTIONS"]["port"] == 465
    assert smtps["OPTIONS"]["use_ssl"] is True
    assert smtps["OPTIONS"]["use_tls"] is False


def test_email_url_options():
    mailer = mailer_from_url("smtp://relay.internal:25?tls=false&timeout=5")
    assert mailer["OPTIONS"]["use_tls"] is False
    assert mailer["OPTIONS"]["timeout"] == 5
    assert mailer["OPTIONS"]["port"] == 25


def test_email_url_with_an_unknown_scheme_is_refused():
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL scheme 'carrier-pigeon'"):
        mailer_from_url("carrier-pigeon://loft")


def test_email_url_file_writes_to_a_folder():
    mailer = mailer_from_url("file:///var/mail/waymark")
    assert mailer["BACKEND"].endswith("filebased.EmailBackend")
    assert mailer["OPTIONS"] == {"file_path": "/var/mail/waymark"}


@pytest.mark.parametrize("url", ["", "locmem://", "LOCMEM://"])
def test_cache_url_unset_or_locmem_is_each_processs_own_memory(url):
    assert cache_from_url(url) == {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}


@pytest.mark.parametrize(
    "url", ["redis://127.0.0.1:6379/1", "rediss://:secret@cache.internal:6380/0"]
)
def test_cache_url_redis_is_one_shared_cache(url):
    assert cache_from_url(url) == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
    }


@pytest.mark.parametrize("url", ["memcached://127.0.0.1:11211", "redis://", "127.0.0.1:6379"])
def test_cache_url_of_another_kind_or_without_a_host_is_refused(url):
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        cache_from_url(url)


def test_each_configured_ocds_feed_is_imported_on_a_schedule():
    values = load_settings(
        OCDS_FEEDS="contracts-finder=https://cf.example/ocds.json,"
        " find-a-tender=https://fts.example/releases",
        OCDS_FEED_SCHEDULE_SECONDS="3600",
    )
    assert values["OCDS_FEEDS"] == {
        "contracts-finder": "https://cf.example/ocds.json",
        "find-a-tender": "https://fts.example/releases",
    }
    entry = values["CELERY_BEAT_SCHEDULE"]["import-ocds-find-a-tender"]
    assert entry == {
        "task": "portal.procurement.tasks.import_ocds_feed",
        "schedule": 3600,
        "args": ["find-a-tender"],
    }
    assert "import-ocds-contracts-finder" in values["CELERY_BEAT_SCHEDULE"]
    # The digests and reminders are always scheduled; no feed, no import entry.
    schedule = load_settings()["CELERY_BEAT_SCHEDULE"]
    assert {"send-alert-digests", "send-closing-reminders"} <= set(schedule)
    assert not [name for name in schedule if name.startswith("import-ocds-")]
