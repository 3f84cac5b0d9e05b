"""The catalogue's part of sitemap.xml: every published offer still taking applications
or with no closing date passed (what the public lists show)."""

from django.utils import timezone

from portal.catalogue.models import Offer
from portal.core.sitemaps import SiteSitemap


class OfferSitemap(SiteSitemap):
    def items(self):
        return Offer.objects.visible(timezone.localdate()).only("slug", "updated").order_by("slug")

    def lastmod(self, offer):
        return offer.updated
