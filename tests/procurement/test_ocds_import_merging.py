"""Several releases of one ocid: the latest ``date`` wins each field, whatever the order
they are read in, in one package or across packages; importing again changes nothing."""

import itertools
import json
import tempfile
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from unittest import mock

from django.forms.models import model_to_dict
from django.test import TestCase

from portal.procurement.importing import chunks, merging
from portal.procurement.importing.runs import import_sources
from portal.procurement.models import ImportRun, Opportunity
from portal.procurement.ocds.mapping import MappedRelease
from portal.procurement.ocds.merge import MergeState

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
        with self.assertNumQueries(8):
            # The stalled runs marked failed, the run, the lookups (regions, councils,
            # organisations), one chunk's opportunities (their ocid and release hashes
            # only: all unchanged), the progress, the finish.
            import_files("release_package.json", "lots.json")

    def test_an_import_never_changes_an_opportunity_posted_here(self):
        from tests.factories import create_opportunity

        posted = create_opportunity(title="Posted here", ocid="ocds-test-0001")

        run = import_files("release_package.json")

        posted.refresh_from_db()
        self.assertEqual(posted.title, "Posted here")
        self.assertEqual(run.rejected_count, 1)
        self.assertIn("posted on Waymark", run.rejections[0]["reason"])


class ConflictTests(TestCase):
    """Two releases of one ocid with the same id and date but different content: a
    publisher's mistake, reported; the opportunity does not depend on which came first."""

    maxDiff = None

    def test_a_release_id_seen_again_with_other_content_is_a_conflict_in_either_order(self):
        first = import_files("duplicate_id_first.json")
        second = import_files("duplicate_id_second.json")
        state = final_state("ocds-dup-1")
        Opportunity.objects.all().delete()

        second_first = import_files("duplicate_id_second.json")
        first_second = import_files("duplicate_id_first.json")

        self.assertEqual(final_state("ocds-dup-1"), state)
        self.assertEqual((first.conflict_count, second_first.conflict_count), (0, 0))
        self.assertEqual((second.conflict_count, first_second.conflict_count), (1, 1))
        self.assertEqual(
            second.conflicts,
            [
                {
                    "where": f"{FILES / 'duplicate_id_second.json'} release 1",
                    "reason": "Release dup-tender-1 of ocds-dup-1 has the same id as another "
                    "release of it, with different content. Each field was taken from the "
                    "latest of the two (by date, then by content), whichever was read first.",
                }
            ],
        )
        # The other releases of both files were imported as usual.
        self.assertEqual(
            set(Opportunity.objects.values_list("ocid", flat=True)),
            {"ocds-dup-1", "ocds-dup-2", "ocds-dup-3"},
        )

    def test_the_fields_only_one_of_them_states_are_kept(self):
        import_files("duplicate_id_second.json", "duplicate_id_first.json")

        opportunity = Opportunity.objects.get(ocid="ocds-dup-1")
        # Only the first gives a description and a deadline, only the second a contract.
        self.assertEqual(opportunity.description, "Host our services.")
        self.assertEqual(opportunity.deadline, datetime(2030, 3, 1, 12, tzinfo=UTC))
        self.assertEqual(str(opportunity.contract_start), "2030-05-01")

    def test_in_one_run_or_one_package_the_order_does_not_matter_either(self):
        import_files("duplicate_id_first.json", "duplicate_id_second.json")
        expected = final_state("ocds-dup-1")
        for names in (
            ("duplicate_id_second.json", "duplicate_id_first.json"),
            ("duplicate_id_one_package.json",),
        ):
            Opportunity.objects.all().delete()

            run = import_files(*names)

            self.assertEqual(run.conflict_count, 1, names)
            self.assertEqual(final_state("ocds-dup-1"), expected, names)

        with tempfile.TemporaryDirectory() as directory:
            package = json.loads((FILES / "duplicate_id_one_package.json").read_text())
            package["releases"].reverse()
            path = Path(directory) / "reversed.json"
            path.write_text(json.dumps(package))
            Opportunity.objects.all().delete()

            run = import_sources([str(path)])

        self.assertEqual(run.conflict_count, 1)
        self.assertEqual(final_state("ocds-dup-1"), expected)

    def test_the_same_release_read_twice_is_no_conflict(self):
        run = import_files("duplicate_id_first.json", "duplicate_id_first.json")

        self.assertEqual(run.conflict_count, 0)
        self.assertEqual((run.created_count, run.unchanged_count), (2, 2))

    def test_a_conflict_is_reported_again_by_each_run_that_reads_it(self):
        import_files("duplicate_id_first.json", "duplicate_id_second.json")

        again = import_files("duplicate_id_first.json", "duplicate_id_second.json")

        self.assertEqual(again.conflict_count, 1)
        self.assertEqual(again.updated_count + again.created_count, 0)


class ReimportTests(TestCase):
    """A re-import skips the releases it has applied before, by their content hash, as
    long as the mapping code has not changed since."""

    def test_releases_imported_before_are_not_mapped_again(self):
        # Releases with an id and without (it is derived from their content).
        names = ("release_package.json", "lots.json", "no_release_id.json")
        first = import_files(*names)
        mapped = []

        def counting(release, **kwargs):
            mapped.append(release["ocid"])
            return chunks.map_release(release, **kwargs)

        with mock.patch.object(chunks, "map_release", counting):
            run = import_files(*names)

        self.assertEqual(mapped, [])
        self.assertEqual(run.unchanged_count, first.releases_read)

    def test_a_release_changed_since_is_mapped_and_applied(self):
        import_files("release_package.json")
        with tempfile.TemporaryDirectory() as directory:
            package = json.loads((FILES / "release_package.json").read_text())
            # Republished under the same id, later (a conflict, but the later wins).
            package["releases"][0]["tender"]["title"] = "Website redesign, corrected"
            package["releases"][0]["date"] = "2030-01-11T09:00:00Z"
            path = Path(directory) / "corrected.json"
            path.write_text(json.dumps(package))

            run = import_sources([str(path)])

        self.assertEqual((run.updated_count, run.unchanged_count, run.conflict_count), (1, 1, 1))
        self.assertEqual(
            Opportunity.objects.get(ocid="ocds-test-0001").title, "Website redesign, corrected"
        )

    def test_a_new_mapping_maps_every_release_again_and_corrects_what_it_got_wrong(self):
        import_files("release_package.json")
        opportunity = Opportunity.objects.get(ocid="ocds-test-0001")
        # What an older mapping might have made of it.
        Opportunity.objects.filter(pk=opportunity.pk).update(title="Wrong title")

        unchanged = import_files("release_package.json")
        with mock.patch.object(merging, "MAPPING_VERSION", "a-new-mapping"):
            corrected = import_files("release_package.json")

        self.assertEqual(unchanged.unchanged_count, 2)
        self.assertEqual((corrected.updated_count, corrected.unchanged_count), (1, 1))
        opportunity.refresh_from_db()
        self.assertEqual(opportunity.title, "Website redesign for the council")
        self.assertEqual(opportunity.imported_releases["mapping"], "a-new-mapping")

    def test_opportunities_imported_before_release_hashes_are_recorded_once_silently(self):
        import_files("release_package.json", "lots.json")
        # As imported before hashes were kept: keys of [date, id], no hashes.
        for opportunity in Opportunity.objects.all():
            opportunity.field_dates = {
                name: key[:2] if name != "published_at" else key[:3]
                for name, key in opportunity.field_dates.items()
            }
            opportunity.imported_releases = {}
            opportunity.save(update_fields=["field_dates", "imported_releases"])
        before = {o.ocid: (o.version, o.last_changed) for o in Opportunity.objects.all()}

        recording = import_files("release_package.json", "lots.json")

        self.assertEqual(recording.unchanged_count, 3)
        self.assertEqual(
            {o.ocid: (o.version, o.last_changed) for o in Opportunity.objects.all()}, before
        )
        with self.assertNumQueries(8):
            skipping = import_files("release_package.json", "lots.json")
        self.assertEqual(skipping.unchanged_count, 3)


def conflicting(digest: str, **fields) -> MappedRelease:
    published = datetime(2030, 1, 1, tzinfo=UTC)
    return MappedRelease(
        ocid="ocds-x",
        release_id="r-1",
        id_derived=False,
        date="2030-01-01T00:00:00.000000Z",
        fields={"published_at": published, **fields},
        published_kind="explicit",
        content_hash=digest,
    )


def test_three_contents_of_one_release_merge_the_same_in_every_order():
    releases = [
        conflicting("aaaa", title="A", description="only A and B say", deadline="A"),
        conflicting("bbbb", title="B", description="B"),
        conflicting("cccc", title="C", status="only C says"),
    ]
    outcomes = set()
    for order in itertools.permutations(releases):
        state = MergeState(values={}, field_dates={})
        for mapped in order:
            state.apply(mapped)
        outcomes.add(
            json.dumps(
                [state.values, state.field_dates, state.release_hashes],
                default=str,
                sort_keys=True,
            )
        )

    assert len(outcomes) == 1
    values, field_dates, hashes = json.loads(outcomes.pop())
    assert (values["title"], values["description"], values["deadline"]) == ("C", "B", "A")
    assert hashes == {"r-1": "cccc"}
    # The winner's keys are short; the others keep their content hash.
    assert field_dates["title"] == ["2030-01-01T00:00:00.000000Z", "r-1"]
    assert field_dates["description"] == ["2030-01-01T00:00:00.000000Z", "r-1", "bbbb"]
    assert field_dates["published_at"] == ["explicit", "2030-01-01T00:00:00.000000Z", "r-1"]
