from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("portal.core.urls")),
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
