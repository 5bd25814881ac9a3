"""The catalogue's HTML pages, mounted at the site root."""

from django.urls import path

from . import views

app_name = "movies"

urlpatterns = [
    path("", views.home, name="home"),
    path("home/rows/<slug:row_id>/", views.home_row, name="home_row"),
    path("movies/", views.movie_list, name="list"),
    path("movies/<int:pk>/", views.movie_detail, name="detail"),
    path("genres/<int:pk>/", views.genre_detail, name="genre_detail"),
    path("actors/<int:pk>/", views.actor_detail, name="actor_detail"),
]
