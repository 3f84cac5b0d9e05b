from django.urls import path

from portal.catalogue import api

app_name = "openreferral"

# Open Referral UK read API (portal/catalogue/api.py).
urlpatterns = [
    path("services", api.services, name="services"),
    path("services/<str:service_id>", api.service, name="service"),
    path("taxonomies", api.taxonomies, name="taxonomies"),
    path("taxonomy_terms", api.taxonomy_terms, name="taxonomy-terms"),
]
