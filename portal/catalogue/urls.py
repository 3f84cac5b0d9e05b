from django.urls import path

from portal.catalogue.views import curation, imports, public

app_name = "catalogue"

urlpatterns = [
    # Founders: search and offer pages (views/public.py).
    path("support/", public.search, name="search"),
    path("support/<slug:slug>/", public.offer, name="offer"),
    path("support/<slug:slug>/go/", public.offer_go, name="offer-go"),
    # Curators (views/curation.py).
    path("curate/", curation.queue, name="curation-queue"),
    path("curate/offers/", curation.offer_list, name="offer-list"),
    path("curate/offers/new/", curation.offer_create, name="offer-create"),
    path("curate/offers/<uuid:public_id>/", curation.offer_edit, name="offer-edit"),
    path(
        "curate/offers/<uuid:public_id>/places/",
        curation.offer_places,
        name="offer-places",
    ),
    path("curate/offers/<uuid:public_id>/submit/", curation.offer_submit, name="offer-submit"),
    path("curate/offers/<uuid:public_id>/publish/", curation.offer_publish, name="offer-publish"),
    path("curate/offers/<uuid:public_id>/archive/", curation.offer_archive, name="offer-archive"),
    path("curate/offers/<uuid:public_id>/history/", curation.offer_history, name="offer-history"),
    # Curators: CSV import and export (views/imports.py).
    path("curate/import/", imports.offer_import, name="offer-import"),
    path("curate/import/template.csv", imports.import_template, name="offer-import-template"),
    path("curate/export.csv", imports.offer_export, name="offer-export"),
]
