from django.urls import path

from portal.lib.subscription_pages import page_urls
from portal.procurement.views import alerts, cpv, imports, posting, public

app_name = "procurement"

urlpatterns = [
    # Founders: the list and an opportunity's page (views/public.py).
    path("contracts/", public.opportunity_list, name="list"),
    path("contracts/<uuid:public_id>/", public.opportunity_detail, name="detail"),
    # CPV picker: a search page without JavaScript, a fragment for htmx (views/cpv.py).
    path("contracts/cpv/", cpv.cpv_search, name="cpv-search"),
    # Saved searches, alerts and saved opportunities (views/alerts.py).
    path("contracts/alerts/new/", alerts.alert_create, name="alert-create"),
    *page_urls("contracts/alerts/", alerts.PAGES),
    path("contracts/alerts/manage/<str:token>/", alerts.alert_manage, name="alert-manage"),
    path("contracts/<uuid:public_id>/save/", alerts.opportunity_save, name="opportunity-save"),
    path("contracts/saved/", alerts.saved_opportunities, name="saved-opportunities"),
    # Cluster bodies and buyers: posting (views/posting.py).
    path("post/", posting.dashboard, name="posting-dashboard"),
    path("post/new/", posting.opportunity_create, name="opportunity-create"),
    path("post/<uuid:public_id>/", posting.opportunity_edit, name="opportunity-edit"),
    path(
        "post/<uuid:public_id>/publish/", posting.opportunity_publish, name="opportunity-publish"
    ),
    path("post/<uuid:public_id>/close/", posting.opportunity_close, name="opportunity-close"),
    path(
        "post/<uuid:public_id>/withdraw/",
        posting.opportunity_withdraw,
        name="opportunity-withdraw",
    ),
    # Moderators: postings waiting for approval, and the OCDS import runs.
    path("post/moderation/", posting.moderation_queue, name="moderation-queue"),
    path(
        "post/<uuid:public_id>/approve/", posting.opportunity_approve, name="opportunity-approve"
    ),
    path("post/imports/", imports.import_runs, name="import-runs"),
    path("post/imports/<int:pk>/", imports.import_run, name="import-run"),
]
