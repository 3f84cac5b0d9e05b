from django.urls import path

from portal.advice import queue_views, views

app_name = "advice"

urlpatterns = [
    path("ask/", views.ask, name="ask"),
    path("privacy/", views.privacy, name="privacy"),
    path("requests/<uuid:public_id>/<str:token>/", views.request_page, name="request"),
    path("requests/<uuid:public_id>/<str:token>/sent/", views.sent, name="sent"),
    path("requests/<uuid:public_id>/<str:token>/withdraw/", views.withdraw, name="withdraw"),
    # The staff's queue (portal/advice/queue_views.py).
    path("queue/", queue_views.queue_home, name="queue-home"),
    path("overview/", queue_views.overview, name="overview"),
    path("queue/<slug:slug>/", queue_views.queue_page, name="queue"),
    path("cases/<int:pk>/", queue_views.request_page, name="staff-request"),
    path("cases/<int:pk>/assign/", queue_views.request_assign, name="staff-request-assign"),
    path("cases/<int:pk>/note/", queue_views.request_note, name="staff-request-note"),
    path("cases/<int:pk>/status/", queue_views.request_status, name="staff-request-status"),
    path("cases/<int:pk>/outcome/", queue_views.request_outcome, name="staff-request-outcome"),
]
