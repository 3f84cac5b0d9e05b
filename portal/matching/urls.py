from django.urls import path

from portal.matching import views

app_name = "matching"

urlpatterns = [
    path("recommended/", views.recommended, name="recommended"),
    path("recommended/feedback/", views.feedback, name="feedback"),
]
