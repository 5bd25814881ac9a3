"""Account pages, mounted at /accounts/.

URL names other parts of the site rely on: ``users:login``, ``users:logout``,
``users:password_reset`` (+ ``_done``, ``_confirm``, ``_complete``),
``users:password_change`` (+ ``_done``), ``users:register``, ``users:verify`` (+
``users:verify_resend``), ``users:my_lists`` and the list buttons' ``users:favorite``,
``users:watched`` and ``users:watchlist`` (POST, with the movie's id).
"""

from django.urls import path

from . import list_views, selectors, views

app_name = "users"

urlpatterns = [
    path("register/", views.RegisterView.as_view(), name="register"),
    path("verify/", views.VerifyView.as_view(), name="verify"),
    path("verify/resend/", views.verify_resend, name="verify_resend"),
    path("lists/", views.my_lists, name="my_lists"),
    path(
        "lists/favorites/<int:movie_id>/",
        views.list_mark,
        {"list_name": selectors.FAVORITES},
        name="favorite",
    ),
    path(
        "lists/watched/<int:movie_id>/",
        views.list_mark,
        {"list_name": selectors.WATCHED},
        name="watched",
    ),
    path("ratings/<int:movie_id>/", views.rating_save, name="rating_save"),
    path("ratings/<int:movie_id>/remove/", views.rating_remove, name="rating_remove"),
    path(
        "lists/watchlist/<int:movie_id>/",
        views.list_mark,
        {"list_name": selectors.WATCHLIST},
        name="watchlist",
    ),
    path("lists/privacy/", list_views.profile_privacy, name="profile_privacy"),
    path("diary/", list_views.diary, name="diary"),
    path("diary/log/<int:movie_id>/", list_views.log_watch, name="log_watch"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/change/done/",
        views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]
