from django.urls import path, re_path

from portal.catalogue import api

app_name = "openreferral"

# Open Referral UK read API (portal/catalogue/api.py).
urlpatterns = [
    path("", api.root, name="root"),
    path("openapi.json", api.openapi, name="openapi"),
    path("services", api.services, name="services"),
    path("services/<str:service_id>", api.service, name="service"),
    path("service_at_locations", api.service_at_locations, name="service-at-locations"),
    path(
        "service_at_locations/<str:service_at_location_id>",
        api.service_at_location,
        name="service-at-location",
    ),
    path("taxonomies", api.taxonomies, name="taxonomies"),
    path("taxonomies/<str:taxonomy_id>", api.taxonomy, name="taxonomy"),
    path("taxonomy_terms", api.taxonomy_terms, name="taxonomy-terms"),
    path("taxonomy_terms/<str:term_id>", api.taxonomy_term, name="taxonomy-term"),
    # Anything else under the API is a JSON 404, not the site's page.
    re_path(r"^(?P<unknown>.*)$", api.not_found, name="not-found"),
]
