"""The URLconf. Pages people read are under ``i18n_patterns``: English unprefixed
(``/support/``), Welsh under ``/cy/`` (``/cy/support/``). Outside it, one address for
every language: the APIs, the health checks, robots.txt, sitemap.xml, the admin and the
language switcher's own link. Every link already emailed is unprefixed, so it still
opens (in English; the switcher and the remembered choice lead to Welsh). Staff pages
(curation, posting, the advice queue, dashboards) are under /cy/ too, though their
texts may stay English: one rule, no list of exceptions to keep.
"""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.decorators.http import require_safe

from portal.catalogue.sitemaps import OfferSitemap
from portal.core import languages
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
# the diagnostic (each person's own answers), and the pages of personal links; in each
# language.
ROBOTS_DISALLOW = [
    prefix + path
    for prefix in ("", "/cy")
    for path in (
        "/account/",
        "/diagnostic/",
        "/curate/",
        "/post/",
        "/advice/",
        "/contracts/saved/",
        "/contracts/alerts/",
        "/recommended/alerts/",
    )
]
ROBOTS_DISALLOW.insert(0, "/admin/")

urlpatterns = [
    # No trailing slash: SECURE_REDIRECT_EXEMPT names these exact paths.
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
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
    path("language/<str:code>/", languages.choose_language, name="choose-language"),
    path("api/openreferral/", include("portal.catalogue.api_urls")),
    path("api/ocds/", include("portal.procurement.api_urls")),
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", include("portal.core.urls")),
    path("account/", include("portal.accounts.urls")),
    path("places/", include("portal.places.urls")),
    path("diagnostic/", include("diagnostics.urls")),
    path("", include("portal.catalogue.urls")),
    path("", include("portal.procurement.urls")),
    path("", include("portal.matching.urls")),
    path("advice/", include("portal.advice.urls")),
    path("", include("portal.dashboards.urls")),
    prefix_default_language=False,
)

handler400 = "portal.core.views.bad_request"
handler403 = "portal.core.views.permission_denied"
handler404 = "portal.core.views.page_not_found"
handler500 = "portal.core.views.server_error"
