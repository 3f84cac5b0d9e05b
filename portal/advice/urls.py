from django.urls import path

from portal.advice import views

app_name = "advice"

urlpatterns = [
    path("ask/", views.ask, name="ask"),
    path("privacy/", views.privacy, name="privacy"),
    path("requests/<uuid:public_id>/<str:token>/", views.request_page, name="request"),
    path("requests/<uuid:public_id>/<str:token>/sent/", views.sent, name="sent"),
    path("requests/<uuid:public_id>/<str:token>/withdraw/", views.withdraw, name="withdraw"),
]
