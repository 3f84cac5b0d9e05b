from django.test import TestCase

from portal.catalogue.models import Offer
from tests.factories import create_offer, create_organisation


class ChoiceSetFieldTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        curator = create_organisation(name="Gateshead Council")

        def offer(slug, **fields):
            return create_offer(title=slug, slug=slug, curator=curator, **fields)

        cls.micro_small = offer("micro-small", sizes=["small", "micro"], stages=["pre_start"])
        cls.everyone = offer("everyone")
        cls.medium = offer("medium", sizes=["medium"], stages=["preXstart"])

    def test_a_set_reads_back_as_a_list_in_vocabulary_order(self):
        self.micro_small.refresh_from_db()
        self.assertEqual(self.micro_small.sizes, ["micro", "small"])
        self.everyone.refresh_from_db()
        self.assertEqual(self.everyone.sizes, [])

    def test_has_finds_the_sets_containing_a_choice(self):
        self.assertQuerySetEqual(
            Offer.objects.filter(sizes__has="micro"), [self.micro_small], ordered=False
        )
        self.assertQuerySetEqual(
            Offer.objects.filter(sizes__has="medium"), [self.medium], ordered=False
        )

    def test_underscores_in_choices_are_not_wildcards(self):
        # "preXstart" is stored as nothing: it is not in the vocabulary.
        self.assertQuerySetEqual(Offer.objects.filter(stages__has="pre_start"), [self.micro_small])

    def test_unknown_choices_fail_validation(self):
        self.medium.sizes = ["enormous"]
        with self.assertRaisesMessage(Exception, "enormous is not one of the choices"):
            self.medium.full_clean()
