"""Mail backends for tests: a mail server that refuses the first message it is given.

    @override_settings(MAILERS={"default": {"BACKEND": "tests.mail_backends.FailOnceBackend"}})

Each send makes a new backend, so what has happened is kept on the class (``reset()``
it in ``setUp``): ``attempts`` lists each attempt as ("refused" | "sent", recipients).
"""

import smtplib

from django.core.mail.backends import locmem

FAIL_ONCE = {"default": {"BACKEND": "tests.mail_backends.FailOnceBackend"}}


class FailOnceBackend(locmem.EmailBackend):
    failures_left = 1
    attempts: list[tuple[str, list[str]]] = []

    @classmethod
    def reset(cls, *, failures: int = 1) -> None:
        cls.failures_left = failures
        cls.attempts = []

    def send_messages(self, messages):
        cls = type(self)
        recipients = [address for message in messages for address in message.to]
        if cls.failures_left > 0:
            cls.failures_left -= 1
            cls.attempts.append(("refused", recipients))
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        cls.attempts.append(("sent", recipients))
        return super().send_messages(messages)
