"""Public profile pages, mounted at /u/: ``profiles:public`` (``/u/<username>/``)."""

from django.urls import path

from . import list_views

app_name = "profiles"

urlpatterns = [
    path("<str:username>/", list_views.public_profile, name="public"),
]
