"""The procurement part of sitemap.xml: every opportunity taking bids now (what the
public list shows)."""

from django.utils import timezone

from portal.core.sitemaps import SiteSitemap
from portal.procurement.models import Opportunity


class OpportunitySitemap(SiteSitemap):
    def items(self):
        return (
            Opportunity.objects.visible(timezone.now())
            .only("public_id", "last_changed")
            .order_by("pk")
        )

    def lastmod(self, opportunity):
        return opportunity.last_changed
