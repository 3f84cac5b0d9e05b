"""portal/lib/tasks.py: tasks enqueued by name after commit, email tasks retried, and
every task declared under a stable name."""

import ast
import smtplib
from pathlib import Path

from django.core import mail
from django.db import transaction
from django.test import TestCase, override_settings

from portal.accounts.tasks import send_welcome_email
from portal.lib.tasks import enqueue_on_commit, registered_task
from tests.factories import create_user
from tests.mail_backends import FAIL_ONCE, FailOnceBackend

PROJECT_DIR = Path(__file__).resolve().parents[2]
WELCOME = "portal.accounts.tasks.send_welcome_email"


class Rollback(Exception):
    pass


class EnqueueOnCommitTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = create_user(email="ada@example.com", full_name="Ada Lovelace")

    def test_the_task_runs_once_the_transaction_commits(self):
        with self.captureOnCommitCallbacks(execute=True):
            enqueue_on_commit(WELCOME, self.user.pk)
            self.assertEqual(mail.outbox, [])
        self.assertEqual([message.to for message in mail.outbox], [["ada@example.com"]])

    def test_a_transaction_rolled_back_runs_nothing(self):
        with (
            self.captureOnCommitCallbacks(execute=True) as callbacks,
            self.assertRaises(Rollback),
            transaction.atomic(),
        ):
            enqueue_on_commit(WELCOME, self.user.pk)
            raise Rollback
        self.assertEqual(callbacks, [])
        self.assertEqual(mail.outbox, [])

    def test_the_task_is_found_by_its_name(self):
        self.assertEqual(registered_task(WELCOME).name, send_welcome_email.name)
        with self.assertRaises(KeyError):
            enqueue_on_commit("portal.accounts.tasks.no_such_task", self.user.pk)


@override_settings(MAILERS=FAIL_ONCE)
class EmailTaskRetryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = create_user(email="ada@example.com", full_name="Ada Lovelace")

    def test_a_refused_email_is_sent_on_retry(self):
        FailOnceBackend.reset(failures=1)
        result = send_welcome_email.delay(self.user.pk)
        self.assertTrue(result.successful())
        self.assertEqual(
            FailOnceBackend.attempts,
            [("refused", ["ada@example.com"]), ("sent", ["ada@example.com"])],
        )
        self.assertEqual(len(mail.outbox), 1)

    def test_in_process_it_gives_up_after_its_few_retries(self):
        FailOnceBackend.reset(failures=100)
        with self.assertRaises(smtplib.SMTPServerDisconnected):
            send_welcome_email.delay(self.user.pk)
        # In process the retries do not wait, so fewer are made than on a worker.
        self.assertEqual(len(FailOnceBackend.attempts), send_welcome_email.eager_max_retries + 1)
        self.assertEqual(mail.outbox, [])

    def test_email_tasks_are_acknowledged_late_and_retry_with_backoff(self):
        self.assertTrue(send_welcome_email.acks_late)
        self.assertEqual(send_welcome_email.max_retries, 8)
        self.assertIn(smtplib.SMTPException, send_welcome_email.autoretry_for)
        self.assertIn(OSError, send_welcome_email.autoretry_for)
        self.assertTrue(send_welcome_email.retry_backoff)


def task_declarations():
    """(module, function, decorator) for every function decorated as a task."""
    for path in sorted(
        [*PROJECT_DIR.glob("portal/**/tasks.py"), PROJECT_DIR / "diagnostics/tasks.py"]
    ):
        module = ".".join(path.relative_to(PROJECT_DIR).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef):
                for decorator in node.decorator_list:
                    name = ast.unparse(decorator)
                    if "task" in name:
                        yield module, node.name, decorator


def test_every_task_has_an_explicit_stable_name():
    declarations = list(task_declarations())
    assert len(declarations) >= 10
    for module, function, decorator in declarations:
        assert isinstance(decorator, ast.Call), f"{module}.{function}: no name="
        names = [keyword.value for keyword in decorator.keywords if keyword.arg == "name"]
        names += decorator.args
        assert [ast.literal_eval(name) for name in names] == [f"{module}.{function}"], (
            f"{module}.{function} is not declared under its module path"
        )
