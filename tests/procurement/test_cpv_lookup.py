"""Looking CPV codes up: search_cpv, the division and group choices, describe_codes."""

from django.test import TestCase

from portal.procurement.cpv import (
    clear_cpv_cache,
    code_level,
    describe_codes,
    division_choices,
    group_choices,
    matching_cpv_codes,
    search_cpv,
)
from portal.procurement.models import CpvCode


def codes(results) -> list[str]:
    return [code.code for code in results]


class SearchCpvTests(TestCase):
    """Against the codes the data migration loaded (the real CPV 2008 fixture)."""

    def test_digits_match_the_start_of_codes_broadest_first(self):
        found = codes(search_cpv("72", limit=12))
        self.assertEqual(found[0], "72000000")
        self.assertEqual(
            found[1:10],
            [
                "72100000",
                "72200000",
                "72300000",
                "72400000",
                "72500000",
                "72600000",
                "72700000",
                "72800000",
                "72900000",
            ],
        )
        self.assertTrue(all(code.startswith("72") for code in found))

    def test_a_whole_code_with_or_without_its_check_digit_finds_it(self):
        self.assertEqual(codes(search_cpv("72212000-4"))[0], "72212000")
        self.assertEqual(codes(search_cpv("72212000"))[0], "72212000")
        self.assertEqual(codes(search_cpv("7221200"))[0], "72212000")

    def test_words_must_all_be_in_the_description_in_any_case(self):
        found = search_cpv("SOFTWARE development", limit=200)
        self.assertTrue(found)
        for code in found:
            self.assertIn("software", code.description.lower())
            self.assertIn("development", code.description.lower())
        self.assertIn("72212211", codes(found))
        self.assertNotIn("48000000", codes(found))

    def test_words_and_digits_together(self):
        found = codes(search_cpv("48 software management", limit=100))
        self.assertIn("48311000", found)  # Document management software package
        self.assertTrue(all(code.startswith("48") for code in found))
        self.assertNotIn("72212311", found)

    def test_divisions_and_shorter_codes_come_first(self):
        levels = [code_level(code) for code in codes(search_cpv("software", limit=100))]
        self.assertEqual(levels, sorted(levels))
        # "... except furniture and software packages" is division 30's own name.
        self.assertEqual(codes(search_cpv("software"))[:2], ["30000000", "48000000"])

    def test_limit_and_no_match_and_empty_search(self):
        self.assertEqual(len(search_cpv("services", limit=5)), 5)
        self.assertEqual(len(search_cpv("services")), 20)
        self.assertEqual(search_cpv("xylophonics"), [])
        self.assertEqual(search_cpv(""), [])
        self.assertEqual(search_cpv("   , ;"), [])
        self.assertEqual(search_cpv("123456789"), [])

    def test_punctuation_and_wildcards_are_plain_text(self):
        self.assertEqual(search_cpv("%"), [])
        self.assertEqual(search_cpv("_"), [])
        self.assertIn("72413000", codes(search_cpv("(www) site design")))

    def test_one_query(self):
        with self.assertNumQueries(1):
            search_cpv("software development")

    def test_a_synonyms_codes_are_looked_up_once_per_process(self):
        clear_cpv_cache()
        self.addCleanup(clear_cpv_cache)
        with self.assertNumQueries(2):
            first = search_cpv("cyber")
        with self.assertNumQueries(1):
            self.assertEqual(search_cpv("cyber security"), first)
        with self.assertNumQueries(1):
            search_cpv("48 cyber")
        self.assertEqual(search_cpv("AI"), [])  # no code says artificial intelligence

    def test_cyber_finds_security_software_not_physical_security(self):
        for words in ("cyber", "cyber security", "cybersecurity", "Cyber-Security"):
            with self.subTest(words):
                found = search_cpv(words, limit=200)
                self.assertIn("72212730", codes(found))  # Security software development
                self.assertIn("48730000", codes(found))  # Security software package
                self.assertIn("48732000", codes(found))  # Data security software package
                self.assertNotIn("79710000", codes(found))  # Security services (guarding)
                self.assertNotIn("92700000", codes(found))  # Cybercafé services
                for code in found:
                    self.assertIn("software", code.description.lower())

    def test_everyday_words_and_abbreviations(self):
        self.assertEqual(codes(search_cpv("IT"))[:2], ["72000000", "48517000"])
        self.assertIn("72222300", codes(search_cpv("IT")))  # Information technology services
        r_and_d = codes(search_cpv("R&D", limit=200))
        self.assertIn("73000000", r_and_d)  # Research and development services ...
        self.assertEqual(r_and_d, codes(search_cpv("research and development", limit=200)))
        self.assertIn("72413000", codes(search_cpv("website")))  # World wide web (www) site
        # Partial words still match as they are typed.
        self.assertIn("79710000", codes(search_cpv("secur", limit=200)))

    def test_the_queryset_counts_every_match(self):
        self.assertGreater(matching_cpv_codes("software").count(), 100)
        self.assertEqual(matching_cpv_codes("").count(), 0)


class ChoicesTests(TestCase):
    def setUp(self):
        clear_cpv_cache()
        self.addCleanup(clear_cpv_cache)

    def test_division_choices_are_the_45_divisions_read_once(self):
        divisions = division_choices()
        self.assertEqual(len(divisions), 45)
        self.assertEqual(
            divisions[0], ("03", "Agricultural, farming, fishing, forestry and related products")
        )
        self.assertIn(
            ("72", "IT services: consulting, software development, Internet and support"),
            divisions,
        )
        with self.assertNumQueries(0):
            self.assertEqual(division_choices(), divisions)

    def test_an_empty_table_is_not_remembered(self):
        CpvCode.objects.all().delete()
        self.assertEqual(division_choices(), [])
        CpvCode.objects.create(code="72000000", description="IT services")
        self.assertEqual(division_choices(), [("72", "IT services")])

    def test_group_choices_of_a_division(self):
        groups = group_choices("72")
        self.assertEqual(groups[0], ("721", "Hardware consultancy services"))
        self.assertIn(("722", "Software programming and consultancy services"), groups)
        self.assertEqual(len(groups), 9)
        self.assertEqual(group_choices("72000000"), groups)

    def test_group_choices_of_a_division_without_groups_or_nonsense(self):
        # Every division has groups in the full vocabulary: take those of one away.
        CpvCode.objects.filter(code__startswith="45").exclude(code="45000000").delete()
        self.assertEqual(group_choices("45"), [])
        self.assertEqual(group_choices(""), [])
        self.assertEqual(group_choices("7"), [])
        self.assertEqual(group_choices("ab"), [])


class DescribeCodesTests(TestCase):
    def test_names_codes_in_order_and_none_for_unlisted_ones(self):
        with self.assertNumQueries(1):
            described = describe_codes(["72212000", "45123456", "48000000"])
        self.assertEqual(
            described,
            [
                ("72212000", "Programming services of application software"),
                ("45123456", None),
                ("48000000", "Software package and information systems"),
            ],
        )

    def test_no_codes_no_query(self):
        with self.assertNumQueries(0):
            self.assertEqual(describe_codes([]), [])
