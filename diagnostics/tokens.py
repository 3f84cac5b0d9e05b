"""Resume links: a signed token bound to one assessment, so a person can come back
without an account.

The token is the assessment's public_id signed with SECRET_KEY and a salt of its own
(django.core.signing), and the resume URL carries the public_id too: a token only opens
the assessment it was made for. It does not expire: the link is the only key a person
without an account has, and it dies with the assessment anyway (unfinished ones are
deleted after 30 days, completed ones when the person deletes them). Rotating
SECRET_KEY (with SECRET_KEY_FALLBACKS emptied) revokes every link.
"""

from __future__ import annotations

from uuid import UUID

from django.core import signing

SALT = "diagnostics.resume"


def make_resume_token(public_id: UUID) -> str:
    return signing.dumps(str(public_id), salt=SALT, compress=False)


def token_opens(token: str, public_id: UUID) -> bool:
    """Whether `token` is a valid resume token for the assessment `public_id`."""
    try:
        signed_id = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return False
    return isinstance(signed_id, str) and signed_id == str(public_id)
