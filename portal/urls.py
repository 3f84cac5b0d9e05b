from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.decorators.http import require_safe

from portal.catalogue.sitemaps import OfferSitemap
from portal.core import views as core_views
from portal.core.sitemaps import PagesSitemap
from portal.procurement.sitemaps import OpportunitySitemap

# sitemap.xml: the main public pages, published offers and opportunities taking bids.
SITEMAPS = {
    "pages": PagesSitemap(
        [
            "core:home",
            "catalogue:search",
            "procurement:list",
            "core:accessibility",
            "core:privacy",
            "core:cookies",
        ]
    ),
    "offers": OfferSitemap,
    "opportunities": OpportunitySitemap,
}

# robots.txt: staff pages (admin, curation, posting, the advice queue), account pages and
# the diagnostic (each person's own answers), and the pages of personal links.
ROBOTS_DISALLOW = [
    "/admin/",
    "/account/",
    "/diagnostic/",
    "/curate/",
    "/post/",
    "/advice/",
    "/contracts/saved/",
    "/contracts/alerts/",
    "/recommended/alerts/",
]

urlpatterns = [
    path("", include("portal.core.urls")),
    path(
        "robots.txt",
        core_views.robots_txt,
        {"disallow": ROBOTS_DISALLOW, "sitemap": "sitemap"},
        name="robots-txt",
    ),
    path(
        "sitemap.xml",
        require_safe(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path("account/", include("portal.accounts.urls")),
    path("places/", include("portal.places.urls")),
    path("diagnostic/", include("diagnostics.urls")),
    path("", include("portal.catalogue.urls")),
    path("", include("portal.procurement.urls")),
    path("", include("portal.matching.urls")),
    path("advice/", include("portal.advice.urls")),
    path("", include("portal.dashboards.urls")),
    path("api/openreferral/", include("portal.catalogue.api_urls")),
    path("api/ocds/", include("portal.procurement.api_urls")),
    path("admin/", admin.site.urls),
]

handler400 = "portal.core.views.bad_request"
handler403 = "portal.core.views.permission_denied"
handler404 = "portal.core.views.page_not_found"
handler500 = "portal.core.views.server_error"
