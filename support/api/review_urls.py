"""Reporting a member review, under /api/movies/ (mounted by ``movie_api.urls`` before the
catalogue's router): the report opens a support ticket, so support serves it."""

from django.urls import path

from .views import ReviewReportView

app_name = "support-reviews-api"

urlpatterns = [
    path(
        "<str:movie_id>/reviews/<str:review_id>/report/",
        ReviewReportView.as_view(),
        name="review-report",
    ),
]
