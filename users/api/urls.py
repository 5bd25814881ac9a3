from django.urls import path
from rest_framework.routers import DefaultRouter

from . import diary, ratings, views

app_name = "users-api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("profiles", views.ProfileViewSet, basename="profile")

urlpatterns = [
    path("register/", views.RegisterView.as_view(), name="register"),
    path("otp/verify/", views.OtpVerifyView.as_view(), name="otp-verify"),
    path("otp/resend/", views.OtpResendView.as_view(), name="otp-resend"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("token/refresh/", views.RefreshView.as_view(), name="token-refresh"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/reset/", views.PasswordResetRequestView.as_view(), name="password-reset"),
    path(
        "password/reset/confirm/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("profiles/me/ratings/", ratings.OwnRatingList.as_view(), name="me-ratings"),
    path("profiles/me/ratings/<str:movie_id>/", ratings.OwnRating.as_view(), name="me-rating"),
    path("profiles/me/diary/", diary.OwnDiary.as_view(), name="me-diary"),
    path("profiles/me/diary/<str:entry_id>/", diary.OwnDiaryEntry.as_view(), name="me-diary-entry"),
    path("public/<str:username>/", diary.PublicProfile.as_view(), name="public-profile"),
    *router.urls,
]
