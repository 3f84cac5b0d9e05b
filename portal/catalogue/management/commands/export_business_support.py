import json

from django.core.management.base import BaseCommand

from portal.catalogue.govuk import offer_facets
from portal.catalogue.queries import visible_offers


class Command(BaseCommand):
    help = (
        "Print the publicly visible offers as JSON in the shape of GOV.UK's business "
        "support finder (title, link, and its five facets with GOV.UK's slugs)."
    )

    def handle(self, *args, **options):
        offers = visible_offers().prefetch_related("regions", "councils__region")
        listing = [
            {
                "title": offer.title,
                "summary": offer.summary,
                "link": offer.application_url,
                **offer_facets(offer),
            }
            for offer in offers.iterator(chunk_size=500)
        ]
        self.stdout.write(json.dumps(listing, indent=2, ensure_ascii=False))
