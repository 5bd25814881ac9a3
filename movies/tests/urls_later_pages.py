"""The project's URLs plus stand-ins for pages other parts of the site add later
(registration, "My lists", the support desk), to test that the layout links to
them as soon as their URL names exist."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from movie_api import urls as project_urls
from users import urls as users_urls


def placeholder(request: HttpRequest) -> HttpResponse:
    return HttpResponse("A page added later.")


later_users = [
    path("register/", placeholder, name="register"),
    path("lists/", placeholder, name="my_lists"),
]
later_support = [
    path("", placeholder, name="ticket_list"),
    path("new/", placeholder, name="ticket_create"),
]

urlpatterns = [
    path("accounts/", include((users_urls.urlpatterns + later_users, "users"))),
    path("support/", include((later_support, "support"))),
    *(p for p in project_urls.urlpatterns if getattr(p, "namespace", None) != "users"),
]
