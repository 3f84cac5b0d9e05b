"""The founder's link to their advice request: the request's public_id signed with
SECRET_KEY, a salt of its own and a timestamp (django.core.signing), carried in the URL
beside the public_id, so a token opens only the request it was made for.

It works for ``LINK_MAX_AGE``: long enough for any request to be worked on, closed and
withdrawn by its founder (requests are usually closed within weeks, and their personal
details are erased 12 months after closing anyway). An expired or altered link opens
nothing (404). Rotating SECRET_KEY (with SECRET_KEY_FALLBACKS emptied) revokes every
link.
"""

from datetime import timedelta
from uuid import UUID

from django.core import signing

SALT = "advice.request"
LINK_MAX_AGE = timedelta(days=400)


def make_request_token(public_id: UUID) -> str:
    return signing.dumps(str(public_id), salt=SALT, compress=False)


def token_opens(token: str, public_id: UUID) -> bool:
    """Whether ``token`` is a valid, unexpired link token for the request ``public_id``."""
    try:
        signed_id = signing.loads(token, salt=SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is one
        return False
    return isinstance(signed_id, str) and signed_id == str(public_id)
