"""Several releases of one ocid: the latest ``date`` wins each field, whatever the order
they are read in, in one package or across packages; importing again changes nothing."""

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from django.forms.models import model_to_dict
from django.test import TestCase

from portal.procurement.importing import import_sources
from portal.procurement.models import ImportRun, Opportunity

FILES = Path(__file__).parent / "ocds_files"
# What depends on when and from which file, not on the releases: left out of the state.
VOLATILE = {
    "id",
    "public_id",
    "created",
    "last_changed",
    "version",
    "source_uri",
    "regions",
    "councils",
}


def import_files(*names: str) -> ImportRun:
    return import_sources([str(FILES / name) for name in names])


def final_state(ocid: str) -> dict:
    opportunity = Opportunity.objects.get(ocid=ocid)
    state = {
        key: value for key, value in model_to_dict(opportunity).items() if key not in VOLATILE
    }
    state["regions"] = sorted(opportunity.regions.values_list("itl_code", flat=True))
    state["lots"] = list(opportunity.lots.values_list("lot_id", "title", "value"))
    return state


class MergingTests(TestCase):
    maxDiff = None

    def test_the_latest_release_wins_each_field(self):
        import_files("ocid_releases_out_of_order.json")

        opportunity = Opportunity.objects.get(ocid="ocds-merge-1")
        # The amendment (latest) gives the value and deadline but no title: the tender's
        # title (later than the planning notice's) stays.
        self.assertEqual(opportunity.title, "Data platform")
        self.assertEqual(opportunity.description, "Build a data platform.")
        self.assertEqual(opportunity.value_max, Decimal("120000.00"))
        self.assertEqual(opportunity.deadline, datetime(2030, 4, 1, 12, tzinfo=UTC))
        self.assertEqual(opportunity.release_id, "m-amendment")
        self.assertEqual(opportunity.field_dates["title"][1], "m-tender")

    def test_order_in_one_package_does_not_matter(self):
        import_files("ocid_releases_in_order.json")
        in_order = final_state("ocds-merge-1")
        Opportunity.objects.all().delete()

        import_files("ocid_releases_out_of_order.json")

        self.assertEqual(final_state("ocds-merge-1"), in_order)

    def test_releases_split_across_packages_in_either_order_end_the_same(self):
        import_files("ocid_releases_in_order.json")
        expected = final_state("ocds-merge-1")
        Opportunity.objects.all().delete()

        import_files("ocid_part_2.json")
        import_files("ocid_part_1.json")
        later_first = final_state("ocds-merge-1")
        Opportunity.objects.all().delete()

        import_files("ocid_part_1.json")
        import_files("ocid_part_2.json")

        self.assertEqual(later_first, expected)
        self.assertEqual(final_state("ocds-merge-1"), expected)

    def test_an_older_release_read_later_counts_as_unchanged(self):
        import_files("ocid_part_2.json")
        run = import_files("ocid_part_1.json")

        # The tender release is older than the amendment but the only one with a
        # description and the latest with a title: it updates.
        self.assertEqual(run.updated_count, 1)
        opportunity = Opportunity.objects.get(ocid="ocds-merge-1")
        self.assertEqual(opportunity.title, "Data platform")
        self.assertEqual(opportunity.value_max, Decimal("120000.00"))

    FILES_TWICE = (
        "release_package.json",
        "lots.json",
        "ocid_releases_in_order.json",
        "no_published_date.json",
        "record_package_compiled.json",
    )

    def test_importing_the_same_package_twice_changes_nothing(self):
        first = import_files(*self.FILES_TWICE)
        before = {
            opportunity.ocid: (
                opportunity.last_changed,
                opportunity.version,
                final_state(opportunity.ocid),
            )
            for opportunity in Opportunity.objects.all()
        }

        second = import_files(*self.FILES_TWICE)

        self.assertEqual(first.created_count, 6)
        self.assertEqual(first.releases_read, second.releases_read)
        self.assertEqual(second.unchanged_count, second.releases_read)
        self.assertEqual((second.created_count, second.updated_count), (0, 0))
        after = {
            opportunity.ocid: (
                opportunity.last_changed,
                opportunity.version,
                final_state(opportunity.ocid),
            )
            for opportunity in Opportunity.objects.all()
        }
        self.assertEqual(after, before)

    def test_reimport_runs_a_bounded_number_of_queries(self):
        import_files("release_package.json", "lots.json")
        with self.assertNumQueries(7):
            # The run, the lookups (regions, councils, organisations), one chunk's
            # opportunities (their ocid and field dates only: all unchanged), the
            # progress, the finish.
            import_files("release_package.json", "lots.json")

    def test_an_import_never_changes_an_opportunity_posted_here(self):
        from tests.factories import create_opportunity

        posted = create_opportunity(title="Posted here", ocid="ocds-test-0001")

        run = import_files("release_package.json")

        posted.refresh_from_db()
        self.assertEqual(posted.title, "Posted here")
        self.assertEqual(run.rejected_count, 1)
        self.assertIn("posted on Waymark", run.rejections[0]["reason"])
