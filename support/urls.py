"""The support desk's pages, mounted at /support/."""

from django.urls import path

from . import views

app_name = "support"

urlpatterns = [
    path("", views.home, name="home"),
    path("mine/", views.ticket_list, name="ticket_list"),
    path("new/", views.ticket_create, name="ticket_create"),
    path("new/movies/", views.movie_options, name="movie_options"),
    path("queue/", views.queue, name="queue"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("<int:ticket_id>/", views.ticket_detail, name="ticket_detail"),
    path("<int:ticket_id>/reply/", views.ticket_reply, name="ticket_reply"),
    path("<int:ticket_id>/transition/", views.ticket_transition, name="ticket_transition"),
    path("<int:ticket_id>/assign/", views.ticket_assign, name="ticket_assign"),
    path("<int:ticket_id>/update/", views.ticket_update, name="ticket_update"),
    path("<int:ticket_id>/review/", views.ticket_review, name="ticket_review"),
    path("reviews/<int:review_id>/report/", views.review_report, name="review_report"),
]
