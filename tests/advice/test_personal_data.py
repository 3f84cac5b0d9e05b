"""Advice requests in "download my data" and "delete my account"."""

from django.test import TestCase

from portal.advice.choices import EventKind, RequestStatus
from portal.advice.models import AdviceEvent, AdviceNote, AdviceRequest
from portal.advice.personal_data import erase_for, personal_data_for
from tests.advice.factories import create_advice_request
from tests.factories import create_user
from tests.queries import assert_queries_do_not_grow


class PersonalDataTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.founder = create_user()
        cls.mine = create_advice_request(
            founder=cls.founder, name="Fay Founder", status=RequestStatus.CONTACTED
        )
        AdviceNote.objects.create(request=cls.mine, text="Called back on Tuesday.")
        AdviceEvent.objects.create(request=cls.mine, kind=EventKind.CREATED, details={})
        cls.anonymous = create_advice_request(name="Asked without an account")
        cls.someone_else = create_advice_request(founder=create_user(), name="Sam Else")

    def test_the_download_holds_the_requests_made_signed_in_with_notes_and_history(self):
        data = personal_data_for(self.founder)

        [request] = data["advice_requests"]
        self.assertEqual(request["name"], "Fay Founder")
        self.assertEqual(request["organisation"], "Gateshead Council")
        self.assertEqual(request["status"], RequestStatus.CONTACTED)
        self.assertEqual(request["business_profile"]["size"], "micro")
        self.assertEqual([note["text"] for note in request["notes"]], ["Called back on Tuesday."])
        self.assertEqual([entry["what"] for entry in request["history"]], [EventKind.CREATED])
        self.assertEqual(personal_data_for(create_user()), {"advice_requests": []})

    def test_the_download_runs_a_fixed_number_of_queries(self):
        def grow():
            for _ in range(20):
                extra = create_advice_request(founder=self.founder)
                AdviceNote.objects.create(request=extra, text="note")

        assert_queries_do_not_grow(lambda: personal_data_for(self.founder), grow=grow, maximum=3)

    def test_deleting_the_account_erases_the_requests_notes_and_history(self):
        erase_for(self.founder)

        erased = AdviceRequest.objects.get(pk=self.mine.pk)
        self.assertIsNone(erased.founder)
        self.assertIsNotNone(erased.erased_at)
        self.assertEqual(erased.name, "")
        self.assertEqual(erased.profile, {})
        self.assertFalse(AdviceNote.objects.filter(request=erased).exists())
        self.assertEqual(
            list(erased.events.values_list("kind", "details")),
            [(EventKind.ERASED, {"reason": "account_deleted"})],
        )
        # The anonymous request stays; nobody else's is touched.
        self.assertEqual(erased.status, RequestStatus.CONTACTED)
        self.assertEqual(
            AdviceRequest.objects.get(pk=self.anonymous.pk).name, "Asked without an account"
        )
        self.assertEqual(AdviceRequest.objects.get(pk=self.someone_else.pk).name, "Sam Else")
        self.assertEqual(personal_data_for(self.founder), {"advice_requests": []})

    def test_erasing_twice_is_harmless(self):
        erase_for(self.founder)
        erase_for(self.founder)

        self.assertEqual(AdviceEvent.objects.filter(request=self.mine).count(), 1)
