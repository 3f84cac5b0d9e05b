"""Reading deployment settings from environment variables.

Every difference between deployments is an environment variable read by one of
these helpers, each with a safe development default. Bad values stop start-up
with a message naming the variable rather than being guessed at.
"""

import os
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "", environ=None) -> str:
    return (environ if environ is not None else os.environ).get(name, default).strip()


def env_bool(name: str, default: bool, environ=None) -> bool:
    value = (environ if environ is not None else os.environ).get(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int, environ=None) -> int:
    value = (environ if environ is not None else os.environ).get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: list[str], environ=None) -> list[str]:
    value = (environ if environ is not None else os.environ).get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


EMAIL_SCHEMES = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "submission": "django.core.mail.backends.smtp.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
}


def mailer_from_url(url: str) -> dict:
    """Turn EMAIL_URL into one entry of Django's MAILERS setting.

    ``console:`` (the default) prints mail; ``smtp://user:password@host:587`` sends
    it with STARTTLS (the submission port's norm), ``smtps://...:465`` with
    implicit TLS; ``?tls=false`` turns STARTTLS off, ``?timeout=10`` sets one;
    ``file:///var/mail/waymark`` writes each message to a file in that folder.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in EMAIL_SCHEMES:
        known = ", ".join(sorted(EMAIL_SCHEMES))
        raise ImproperlyConfigured(f"EMAIL_URL scheme {scheme!r} is not one of: {known}.")
    mailer = {"BACKEND": EMAIL_SCHEMES[scheme]}
    if scheme in {"console", "locmem", "dummy"}:
        return mailer
    if scheme == "file":
        if not parts.path:
            raise ImproperlyConfigured("EMAIL_URL file: needs a folder, e.g. file:///tmp/mail.")
        mailer["OPTIONS"] = {"file_path": unquote(parts.path)}
        return mailer
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    if not parts.hostname:
        raise ImproperlyConfigured("EMAIL_URL needs a host, e.g. smtp://user:pass@host:587.")
    implicit_tls = scheme == "smtps"
    options = {
        "host": parts.hostname,
        "port": parts.port or (465 if implicit_tls else 587),
        "username": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "use_ssl": implicit_tls,
        "use_tls": not implicit_tls
        and env_bool("tls", default=True, environ={"tls": query["tls"]} if "tls" in query else {}),
    }
    if "timeout" in query:
        options["timeout"] = env_int("timeout", 10, environ={"timeout": query["timeout"]})
    mailer["OPTIONS"] = options
    return mailer


def cache_from_url(url: str) -> dict:
    """Turn CACHE_URL into the default entry of Django's CACHES setting.

    Empty or ``locmem://`` (the default) is each process's own memory, enough for one
    process; ``redis://host:6379/1`` (or ``rediss://`` for TLS) is one cache that every
    web process and worker share, so a throttle or a version number in it means the
    same everywhere.
    """
    scheme = urlsplit(url).scheme.lower() if url else "locmem"
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if scheme in {"redis", "rediss"}:
        if not urlsplit(url).hostname:
            raise ImproperlyConfigured("CACHE_URL needs a host, e.g. redis://127.0.0.1:6379/1.")
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise ImproperlyConfigured(
        f"CACHE_URL scheme {scheme!r} is not one of: locmem, redis, rediss."
    )
