from django.urls import path

from portal.lib.subscription_pages import page_urls
from portal.matching import alert_views, views

app_name = "matching"

urlpatterns = [
    path("recommended/", views.recommended, name="recommended"),
    path("recommended/feedback/", views.feedback, name="feedback"),
    # Match alerts (alert_views.py).
    path("recommended/alerts/new/", alert_views.alert_create, name="alert-create"),
    *page_urls("recommended/alerts/", alert_views.PAGES),
]
