"""Routes of this concept (see datasharing/urls.py for their order)."""

from django.urls import path

from loti.datasharing.reminders import views

urlpatterns = [
    path("data-sharing/reminders/", views.reminders, name="reminders"),
]
