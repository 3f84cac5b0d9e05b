from django.urls import path

from portal.matching import alert_views, views

app_name = "matching"

urlpatterns = [
    path("recommended/", views.recommended, name="recommended"),
    path("recommended/feedback/", views.feedback, name="feedback"),
    # Match alerts (alert_views.py).
    path("recommended/alerts/new/", alert_views.alert_create, name="alert-create"),
    path("recommended/alerts/sent/", alert_views.alert_sent, name="alert-sent"),
    path(
        "recommended/alerts/confirm/<str:token>/",
        alert_views.alert_confirm,
        name="alert-confirm",
    ),
    path(
        "recommended/alerts/unsubscribe/<str:token>/",
        alert_views.alert_unsubscribe,
        name="alert-unsubscribe",
    ),
]
