"""The members' part of the movie page: the members' rating, the histogram, the own
rating form (htmx in place, plain post without JavaScript), reviews, spoilers, hidden
reviews, the report form, escaping and constant queries. Reporting and hiding from the
pages are tested in support/tests/test_review_pages.py."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from users import services
from users.models import Rating

from .factories import MovieFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def movie():
    return MovieFactory(title="The Quiet Harbour")


def detail(movie) -> str:
    return reverse("movies:detail", args=[movie.pk])


def save_url(movie) -> str:
    return reverse("users:rating_save", args=[movie.pk])


# --------------------------------------------------------------------------- the page


def test_the_page_shows_the_members_rating_and_a_histogram_with_a_text_equivalent(
    client, movie, user, other_user
):
    services.rating_set(user=user, movie_id=movie.pk, score="4.5")
    services.rating_set(user=other_user, movie_id=movie.pk, score="3")
    page = client.get(detail(movie)).content.decode()
    assert "Members rate it 3.8 out of 5, from 2 ratings" in page
    assert "Number of member ratings for each score" in page
    assert re.search(r"<th scope=\"row\">4.5</th><td>1</td>", page)
    assert re.search(r"<th scope=\"row\">5.0</th><td>0</td>", page)
    assert "score-histogram__fill--100" in page
    assert "<script>" not in page.split("</head>")[1].replace("<script src", "")


def test_anonymous_visitors_get_a_login_link_not_a_form(client, movie):
    page = client.get(detail(movie)).content.decode()
    assert "Log in to rate this movie" in page
    assert 'name="score"' not in page


def test_a_member_gets_ten_labelled_star_radios_and_the_review_form(page_for, movie):
    page = page_for("member").get(detail(movie)).content.decode()
    radios = re.findall(
        r'<input class="star-input__radio" type="radio" name="score" value="([\d.]+)"', page
    )
    assert radios == [f"{n / 2:.1f}" for n in range(1, 11)]
    for n in range(1, 11):
        assert f"{n / 2:.1f} stars</span></label>" in page
    assert "<legend" in page
    assert 'for="id_review"' in page
    assert "This review contains spoilers" in page


@pytest.mark.parametrize(
    ("role", "rated"),
    [("anonymous", False), ("member", True), ("other", True), ("agent", True), ("admin", True)],
)
def test_who_may_rate_from_the_page(page_for, role, rated, movie):
    response = page_for(role).post(save_url(movie), {"score": "4.0"})
    assert response.status_code == 302
    if not rated:
        assert reverse("users:login") in response["Location"]
    assert Rating.objects.exists() is rated


def test_plain_post_saves_and_goes_back_with_a_message(page_for, movie, user):
    client = page_for("member")
    response = client.post(
        save_url(movie), {"score": "3.5", "review": "Nice", "spoiler": "on"}, follow=True
    )
    assert response.redirect_chain[-1][0].endswith(detail(movie) + "#your-rating")
    assert "Your rating is saved." in response.content.decode()
    rating = Rating.objects.get(user=user)
    assert (rating.score, rating.review, rating.spoiler) == (Decimal("3.5"), "Nice", True)


def test_htmx_post_replaces_the_block_in_place(page_for, movie):
    response = page_for("member").post(save_url(movie), {"score": "5.0"}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="your-rating"')
    assert "You gave it 5.0 / 5" in body
    assert 'value="5.0" id="id_score_9" checked' in body
    assert response["HX-Trigger"] == "members-rating-changed"


@pytest.mark.parametrize(
    ("data", "field_error"),
    [
        ({"score": "4.25"}, "Select a valid choice"),
        ({"score": "9"}, "Select a valid choice"),
        ({}, "Choose a score"),
        ({"score": "3.0", "review": "x" * 5001}, "at most 5,000 characters"),
    ],
)
def test_bad_input_is_a_form_error_on_the_field(page_for, movie, data, field_error):
    client = page_for("member")
    response = client.post(save_url(movie), data)
    assert response.status_code == 400
    assert field_error in response.content.decode()
    response = client.post(save_url(movie), data, **HTMX)
    assert response.status_code == 200
    assert field_error in response.content.decode()
    assert 'class="invalid-feedback d-block"' in response.content.decode()
    assert not Rating.objects.exists()


def test_unknown_movie_is_404(page_for):
    assert (
        page_for("member")
        .post(reverse("users:rating_save", args=[999999]), {"score": "3.0"})
        .status_code
        == 404
    )


def test_remove_my_rating(page_for, movie, user):
    services.rating_set(user=user, movie_id=movie.pk, score=3)
    client = page_for("member")
    response = client.post(reverse("users:rating_remove", args=[movie.pk]), **HTMX)
    assert response.status_code == 200
    assert not Rating.objects.exists()
    movie.refresh_from_db()
    assert movie.members_rating_count == 0


def test_another_member_removing_leaves_mine(page_for, movie, user):
    services.rating_set(user=user, movie_id=movie.pk, score=3)
    page_for("other").post(reverse("users:rating_remove", args=[movie.pk]))
    assert Rating.objects.filter(user=user).exists()


def test_anonymous_remove_goes_to_login(page_for, movie, user):
    services.rating_set(user=user, movie_id=movie.pk, score=3)
    response = page_for("anonymous").post(reverse("users:rating_remove", args=[movie.pk]))
    assert reverse("users:login") in response["Location"]
    assert Rating.objects.exists()


def test_get_is_not_allowed_on_the_form_targets(page_for, movie):
    assert page_for("member").get(save_url(movie)).status_code == 405


# --------------------------------------------------------------------------- reviews


def test_reviews_newest_first_escaped_with_spoilers_folded(client, movie, user, other_user):
    services.rating_set(
        user=user, movie_id=movie.pk, score=2, review="<script>alert(1)</script>\nline two"
    )
    services.rating_set(
        user=other_user, movie_id=movie.pk, score=4, review="Twist: the end", spoiler=True
    )
    page = client.get(detail(movie)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>line two" in page
    assert page.index("Twist: the end") < page.index("&lt;script&gt;")
    assert re.search(
        r"<details class=\"review__spoiler\">\s*<summary>Contains spoilers: show the review</summary>\s*<p[^>]*>Twist: the end",
        page,
    )


def test_reviews_paginate_ten_a_page(client, movie):
    for index in range(12):
        services.rating_set(
            user=UserFactory(), movie_id=movie.pk, score=3, review=f"review-{index:02d}"
        )
    first = client.get(detail(movie)).content.decode()
    assert ("review-11" in first, "review-02" in first, "review-01" in first) == (True, True, False)
    second = client.get(detail(movie), {"reviews_page": 2}).content.decode()
    assert ("review-01" in second, "review-00" in second, "review-02" in second) == (
        True,
        True,
        False,
    )
    assert "?reviews_page=2" in first


def test_a_hidden_review_shows_only_to_its_author_marked(page_for, movie, user):
    rating, _ = services.rating_set(user=user, movie_id=movie.pk, score=1, review="Rude words")
    Rating.objects.filter(pk=rating.pk).update(hidden=True)
    for role in ("anonymous", "other", "agent", "admin"):
        assert "Rude words" not in page_for(role).get(detail(movie)).content.decode()
    own = page_for("member").get(detail(movie)).content.decode()
    assert "Rude words" in own
    assert "Hidden by support: only you see it" in own
    assert "Your review is hidden by support" in own


def test_report_button_for_members_on_others_reviews_only(page_for, movie, user):
    services.rating_set(user=user, movie_id=movie.pk, score=1, review="Meh")
    assert "Report this review" not in page_for("anonymous").get(detail(movie)).content.decode()
    assert "Report this review" not in page_for("member").get(detail(movie)).content.decode()
    assert "Report this review" in page_for("other").get(detail(movie)).content.decode()


@pytest.mark.parametrize("logged_in", [False, True])
def test_the_movie_page_costs_the_same_however_many_reviews(
    client, user, movie, logged_in, django_assert_max_num_queries
):
    if logged_in:
        client.force_login(user)

    def add(count):
        for _ in range(count):
            services.rating_set(user=UserFactory(), movie_id=movie.pk, score=3, review="text")

    add(1)
    # (+1 for the similar movies' ranking on the page, none here; +1 the footer's TMDB check)
    with django_assert_max_num_queries(13 if logged_in else 9) as first:
        client.get(detail(movie))
    add(14)
    with django_assert_max_num_queries(len(first)):
        client.get(detail(movie))
