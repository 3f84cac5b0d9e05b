"""Waymark settings: one file, every deployment difference an environment variable.

Development needs none of them: SQLite in the project folder, tasks run in process,
email printed to the console. Production sets at least DEBUG=false, SECRET_KEY,
ALLOWED_HOSTS, SITE_URL and DATABASE_URL (see README.md).
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from portal.lib.environment import (
    cache_from_url,
    env_bool,
    env_int,
    env_list,
    env_str,
    mailer_from_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=True)

DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-never-use-in-production"
SECRET_KEY = env_str("SECRET_KEY") or (DEVELOPMENT_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
# The public address (https://waymark.example.org): links in emails and feeds, read away
# from the site, and links shown on pages are on it. Unset, pages link to the address the
# person is using and emails to the development server (portal/lib/links.py); so
# production, where emails must reach the site, refuses to start without it.
SITE_URL = env_str("SITE_URL").rstrip("/")
if not SITE_URL and not DEBUG:
    raise ImproperlyConfigured("SITE_URL must be set when DEBUG is false: emails link to it.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Where seed_demo keeps the demo accounts' passwords (development only; git ignores it).
DEMO_PASSWORDS_FILE = env_str("DEMO_PASSWORDS_FILE", str(BASE_DIR / ".demo-passwords.json"))

# Shown in the header after the service name: "Waymark — North East".
SERVICE_NAME = "Waymark"
DEPLOYMENT_NAME = env_str("DEPLOYMENT_NAME")
# Where people write for help (phase banner, error and policy pages).
CONTACT_EMAIL = env_str("CONTACT_EMAIL", "help@waymark.localhost")
FEEDBACK_URL = env_str("FEEDBACK_URL") or f"mailto:{CONTACT_EMAIL}"

INSTALLED_APPS = [
    "portal.core.admin_site.AdminConfig",  # Django's admin, on the project's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.forms",
    "django_htmx",
    "axes",
    "portal.core",
    "portal.places",
    "portal.accounts",
    "portal.catalogue",
    "portal.procurement",
    "diagnostics",
    "portal.matching",
    "portal.advice",
    "portal.dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.core.middleware.RejectNullCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.accounts.idle.StaffIdleTimeoutMiddleware",
    "portal.core.middleware.PrivateResponsesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # After the security headers' middleware, so that its redirects carry them too.
    "portal.core.languages.RememberedLanguageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: turns a sign-in refused by the lockout into the "try again later" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.core.context_processors.service",
                "portal.core.languages.language_links",
                "portal.accounts.context_processors.idle_timeout",
            ],
        },
    },
]
FORM_RENDERER = "portal.lib.forms.GovukFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while one request writes; IMMEDIATE takes the write
    # lock at the start of a transaction instead of failing half-way with "locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses every sign-in for an account or address that is locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# No upper limit on a password's length or its characters: a 64-character passphrase in
# any script is welcome (NCSC and NIST guidance).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "accounts:account"
LOGOUT_REDIRECT_URL = "core:home"
CSRF_FAILURE_VIEW = "portal.core.views.csrf_failure"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3

LANGUAGE_CODE = "en-gb"
# Each language is named in itself (GOV.UK's language switcher), so neither is translated.
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
# The catalogues: locale/cy/LC_MESSAGES/django.po, refreshed by `make messages` and
# compiled to .mo files by `make setup` (never committed).
LOCALE_PATHS = [BASE_DIR / "locale"]
# English pages are unprefixed, Welsh ones under /cy/ (portal/urls.py); the switcher
# (portal/core/languages.py) remembers the choice in this cookie for a year.
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# The cache: CACHE_URL is locmem:// (each process its own, the default) or redis://host:6379/1
# (one cache shared by every web process and worker: throttles, version numbers).
# CACHE_KEY_PREFIX keeps apart the keys of sites (or test processes) sharing that cache.
CACHES = {"default": cache_from_url(env_str("CACHE_URL"))}
if env_str("CACHE_KEY_PREFIX"):
    CACHES["default"]["KEY_PREFIX"] = env_str("CACHE_KEY_PREFIX")

# Email: EMAIL_URL is console: (print), smtp://user:password@host:587 or smtps://...:465.
MAILERS = {"default": mailer_from_url(env_str("EMAIL_URL", "console:"))}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Waymark <noreply@waymark.localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
ADMINS = [address for address in env_list("ADMINS", []) if "@" in address]

# Celery: with no broker configured, tasks run in process so one machine needs nothing else.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
# A task is acknowledged once done, and a worker process that dies under it (killed,
# out of memory) puts it back on the queue, so it runs again to the end: every task is
# safe to run twice. Redis hands an unacknowledged task to another worker after the
# visibility timeout, so no task may run longer than that (the time limits).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 2 * 60 * 60)
}
CELERY_TASK_TIME_LIMIT = 60 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 55 * 60
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE: dict = {
    # The start page promises that unfinished diagnostics are deleted after 30 days.
    "delete-abandoned-assessments": {
        "task": "diagnostics.tasks.delete_abandoned_assessments",
        "schedule": 60 * 60 * 24,
    },
    # Tasks whose change committed while the broker was unreachable (portal/core/outbox.py).
    "send-outbox": {
        "task": "portal.core.tasks.send_outbox",
        "schedule": 60,
    },
    # Retention: alerts never confirmed go after 7 days, referrals lose their session
    # hash after 12 months, expired sessions are deleted (each task safe to run twice).
    "delete-unconfirmed-alerts": {
        "task": "portal.procurement.tasks.delete_unconfirmed_alerts",
        "schedule": 60 * 60 * 24,
    },
    "delete-unconfirmed-match-alerts": {
        "task": "portal.matching.tasks.delete_unconfirmed_match_alerts",
        "schedule": 60 * 60 * 24,
    },
    "anonymise-old-referrals": {
        "task": "portal.catalogue.tasks.anonymise_old_referrals",
        "schedule": 60 * 60 * 24,
    },
    "delete-expired-sessions": {
        "task": "portal.accounts.tasks.delete_expired_sessions",
        "schedule": 60 * 60 * 24,
    },
    # Saved searches: one digest per subscriber per day or week (the task works out
    # who is due, so running it hourly sends nobody two), and the closing reminders.
    "send-alert-digests": {
        "task": "portal.procurement.tasks.send_alert_digests",
        "schedule": 60 * 60,
    },
    "send-closing-reminders": {
        "task": "portal.procurement.tasks.send_closing_reminders",
        "schedule": 60 * 60 * 6,
    },
    # OCDS import runs whose process died are marked failed (their heartbeat stopped).
    "fail-stalled-import-runs": {
        "task": "portal.procurement.tasks.fail_stalled_import_runs",
        "schedule": 60 * 5,
    },
    # Match alerts: new matches weekly, each subscriber when their week is up.
    "send-match-alert-digests": {
        "task": "portal.matching.tasks.send_match_alert_digests",
        "schedule": 60 * 60,
    },
    # Advice requests: personal details erased 12 months after closing (the privacy
    # notice promises it); the task works out what is due, so running it again is safe.
    "erase-closed-advice-requests": {
        "task": "portal.advice.tasks.erase_closed_requests",
        "schedule": 60 * 60 * 24,
    },
    # Advice requests: the managers' daily digest of requests waiting for a first
    # contact (the task sends each organisation's once a day, from 8 on working days).
    "send-advice-digests": {
        "task": "portal.advice.tasks.send_manager_digests",
        "schedule": 60 * 60,
    },
    # Dashboards: a refresh held back by the once-a-minute limit, and the UK's and the
    # regions' figures built into the cache.
    "refresh-dashboards": {
        "task": "portal.dashboards.tasks.refresh_dashboards",
        "schedule": 60,
    },
}

# Procurement. Our own OCDS ocid prefix (register one with the Open Contracting
# Partnership for a real deployment) and the OCDS feeds imported on a schedule:
# OCDS_FEEDS="contracts-finder=https://…,find-a-tender=https://…" (name=URL, commas).
OCDS_OCID_PREFIX = env_str("OCDS_OCID_PREFIX", "ocds-wymrk1")
OCDS_FEEDS = dict(item.split("=", 1) for item in env_list("OCDS_FEEDS", []) if "=" in item)
OCDS_FEED_SCHEDULE_SECONDS = env_int("OCDS_FEED_SCHEDULE_SECONDS", 60 * 60 * 6)
for _feed_name in OCDS_FEEDS:
    CELERY_BEAT_SCHEDULE[f"import-ocds-{_feed_name}"] = {
        "task": "portal.procurement.tasks.import_ocds_feed",
        "schedule": OCDS_FEED_SCHEDULE_SECONDS,
        "args": (_feed_name,),
    }

# Sign-in lockout (django-axes): 10 failed sign-ins for one account, or from one
# address, within 15 minutes, and that account or address is refused until 15 minutes
# after its last failure (portal/accounts/lockout.py). The counts live in the default
# cache, never in the database: production sets CACHE_URL to Redis, so that every web
# process counts the same attempts (axes.W001 warns otherwise).
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "portal.accounts.lockout.account_key"
AXES_CLIENT_IP_CALLABLE = "portal.accounts.lockout.client_address"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# Proxies in front of Waymark that append to X-Forwarded-For (0: the client connects
# directly, and X-Forwarded-For, which anyone can send, is ignored).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if DEBUG:
    # One development process: its own memory is a good enough place for the counts.
    SILENCED_SYSTEM_CHECKS = ["axes.W001"]

SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
# Staff roles are signed out after this long without a request, warned this long before
# (portal/accounts/idle.py).
STAFF_IDLE_TIMEOUT_SECONDS = env_int("STAFF_IDLE_TIMEOUT_SECONDS", 30 * 60)
STAFF_IDLE_WARNING_SECONDS = 2 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Security headers. HTTPS settings default on in production; SECURE_PROXY_SSL_HEADER
# is for a proxy that terminates TLS and sets X-Forwarded-Proto.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
if env_bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /healthz and /readyz answer a load balancer over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# Content Security Policy: our own files only; the one inline need (GOV.UK's
# js-enabled class) is an external script too, so nonces cover every script tag.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{levelname} {name} {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.server": {"level": "WARNING"}} if not DEBUG else {},
}
