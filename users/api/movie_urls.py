"""Members' routes under /api/movies/ (mounted by ``movie_api.urls`` before the catalogue's
router, so the catalogue does not import the accounts)."""

from django.urls import path

from . import ratings

app_name = "members-movies-api"

urlpatterns = [
    path("<str:movie_id>/reviews/", ratings.MovieReviewList.as_view(), name="movie-reviews"),
]
