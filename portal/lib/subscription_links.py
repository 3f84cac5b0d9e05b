"""The signed links of an email subscription: confirm, unsubscribe and manage.

Each link carries a token (django.core.signing, a salt per kind of subscription and per
use) so that nobody needs to sign in: confirm (one subscription, valid for
``confirm_max_age``), unsubscribe (one subscription, never expires: RFC 8058 one-click
links sit in mailboxes for years) and manage (an email address, ``manage_max_age``).
The links are absolute, on SITE_URL, because an email is read away from the site.
Rotating SECRET_KEY (with SECRET_KEY_FALLBACKS emptied) revokes every link.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing

from portal.lib.mail import absolute_url


class InvalidToken(Exception):
    """A link's token is malformed, tampered with, expired, or its subscription is gone."""

    def __init__(self, *, expired: bool = False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


@dataclass(frozen=True)
class SubscriptionLinks:
    """One kind of subscription's tokens and the views (URL names) its links open."""

    # Prefix of the tokens' salts: "<salt>.confirm", "<salt>.unsubscribe", "<salt>.manage".
    salt: str
    confirm_view: str = ""
    unsubscribe_view: str = ""
    manage_view: str = ""
    confirm_max_age: timedelta = timedelta(days=7)
    manage_max_age: timedelta = timedelta(days=90)

    def _dumps(self, value: str, purpose: str) -> str:
        return signing.dumps(value, salt=f"{self.salt}.{purpose}", compress=False)

    def _loads(self, token: str, purpose: str, *, max_age: timedelta | None = None) -> str:
        try:
            value = signing.loads(token, salt=f"{self.salt}.{purpose}", max_age=max_age)
        except signing.SignatureExpired as error:
            raise InvalidToken(expired=True) from error
        except signing.BadSignature as error:
            raise InvalidToken from error
        if not isinstance(value, str):
            raise InvalidToken
        return value

    # Tokens.

    def confirm_token(self, subscription) -> str:
        return self._dumps(str(subscription.public_id), "confirm")

    def unsubscribe_token(self, subscription) -> str:
        return self._dumps(str(subscription.public_id), "unsubscribe")

    def manage_token(self, email: str) -> str:
        return self._dumps(email.lower(), "manage")

    def public_id_to_confirm(self, token: str) -> str:
        """The public id of the subscription a confirmation token was made for. Raises
        InvalidToken (``expired`` past ``confirm_max_age``)."""
        return self._loads(token, "confirm", max_age=self.confirm_max_age)

    def public_id_to_unsubscribe(self, token: str) -> str:
        return self._loads(token, "unsubscribe")

    def email_for_manage_token(self, token: str) -> str:
        return self._loads(token, "manage", max_age=self.manage_max_age)

    # Links.

    def confirm_url(self, subscription) -> str:
        return absolute_url(self.confirm_view, self.confirm_token(subscription))

    def unsubscribe_url(self, subscription) -> str:
        return absolute_url(self.unsubscribe_view, self.unsubscribe_token(subscription))

    def manage_url(self, email: str) -> str:
        return absolute_url(self.manage_view, self.manage_token(email))
