"""Root URLs: the APIs under /api/, GraphQL, the API docs and the HTML pages."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import TemplateView
from django.views.static import serve
from drf_yasg import openapi
from drf_yasg.views import get_schema_view
from rest_framework import permissions

from core.graphql import GraphQLView
from core.http_cache import catalogue_read

schema_view = get_schema_view(
    openapi.Info(
        title=f"{settings.SITE_NAME} API",
        default_version="v1",
        description="The movie catalogue, accounts and support desk over REST. "
        "Authorize with `Bearer <access token>` from /api/users/login/.",
    ),
    public=True,
    permission_classes=[permissions.AllowAny],
)

urlpatterns = [
    path("admin/", admin.site.urls),
    # The members' routes under /api/movies/ (reviews) first: the catalogue's router
    # would read "<id>/reviews/" as nothing it knows.
    path("api/movies/", include("users.api.movie_urls")),
    path("api/movies/", include("support.api.review_urls")),
    path("api/movies/", include("movies.api.urls")),
    path("api/users/", include("users.api.urls")),
    path("api/support/", include("support.api.urls")),
    path("graphql/", catalogue_read(GraphQLView.as_view(), graphql=True), name="graphql"),
    path("support/", include("support.urls")),
    path(
        "swagger.json",
        schema_view.without_ui(cache_timeout=0),
        {"format": "json"},
        name="schema-json",
    ),
    path("swagger/", schema_view.with_ui("swagger", cache_timeout=0), name="schema-swagger-ui"),
    path("redoc/", schema_view.with_ui("redoc", cache_timeout=0), name="schema-redoc"),
    path(
        "developers/",
        TemplateView.as_view(template_name="pages/developers.html"),
        name="developers",
    ),
    path("accounts/", include("users.urls")),
    path("u/", include("users.public_urls")),
    path("", include("movies.urls")),
]

handler400 = "core.request_limits.bad_request"
handler404 = "core.api.exceptions.page_not_found"
handler500 = "core.api.exceptions.server_error"

if settings.SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [
        re_path(rf"^{media_prefix}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
