"""The project's URLs plus stand-ins for pages other parts of the site add later
(the support desk), to test that the layout links to them as soon as their URL
names exist."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from movie_api import urls as project_urls


def placeholder(request: HttpRequest) -> HttpResponse:
    return HttpResponse("A page added later.")


later_support = [
    path("", placeholder, name="home"),
    path("mine/", placeholder, name="ticket_list"),
    path("new/", placeholder, name="ticket_create"),
]

urlpatterns = [
    path("support/", include((later_support, "support"))),
    *project_urls.urlpatterns,
]
