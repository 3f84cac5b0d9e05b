"""portal/lib/bulkinsert.py writes what bulk_create would, faster, and hands back the
primary keys (the synthetic generators link the rows they made by them)."""

import random

from django.test import TestCase
from django.utils import timezone

from portal.catalogue.models import Offer
from portal.catalogue.synthetic import build_offer, synthetic_curator
from portal.lib import bulkinsert
from portal.places.models import Region
from tests.queries import count_queries


class BulkInsertTests(TestCase):
    def build(self, seed: int, first: int, count: int) -> list[Offer]:
        rng = random.Random(seed)
        curator = synthetic_curator()
        today = timezone.localdate()
        return [
            build_offer(rng, number, curator=curator, today=today)
            for number in range(first, first + count)
        ]

    def test_it_stores_what_bulk_create_stores_and_returns_the_keys(self):
        columns = [f.attname for f in Offer._meta.concrete_fields if f.attname not in {"id"}]
        made = Offer.objects.bulk_create(self.build(1, 1, 5))
        expected = list(Offer.objects.filter(pk__in=[o.pk for o in made]).values_list(*columns))
        Offer.objects.all().delete()

        offers = self.build(1, 1, 5)
        pks = bulkinsert.insert(Offer, offers, key="slug")

        self.assertEqual(pks, [offer.pk for offer in offers])
        stored = Offer.objects.in_bulk(pks)
        self.assertEqual([stored[pk].slug for pk in pks], [offer.slug for offer in offers])
        got = list(Offer.objects.filter(pk__in=pks).values_list(*columns))
        without_times = [
            c not in {"public_id", "created", "updated", "published"} for c in columns
        ]

        def comparable(rows):
            return [
                tuple(v for v, keep in zip(row, without_times, strict=True) if keep)
                for row in rows
            ]

        self.assertEqual(comparable(got), comparable(expected))

    def test_links_and_queries(self):
        offers = self.build(2, 100, 3)
        regions = list(Region.objects.values_list("pk", flat=True)[:2])

        def write():
            pks = bulkinsert.insert(Offer, offers, key="slug")
            bulkinsert.insert_links(
                Offer.regions.through, "offer", "region", [(pks[0], r) for r in regions]
            )

        # The insert, reading the keys back, the links.
        self.assertEqual(count_queries(write), 3)
        self.assertEqual(
            set(Offer.objects.get(pk=offers[0].pk).regions.values_list("pk", flat=True)),
            set(regions),
        )
        self.assertEqual(bulkinsert.insert(Offer, [], key="slug"), [])
