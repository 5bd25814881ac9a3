"""The members' parts of the movie page, for the catalogue's template (which does not
import the accounts): ``{% members_rating movie %}`` next to the catalogue rating, and
``{% movie_members movie %}`` with the score histogram, the visitor's own rating form
and the reviews. A constant number of queries whatever the number of reviews."""

from __future__ import annotations

from typing import Any

from django import template

from core.pages import paginate
from users import selectors
from users.forms import own_rating_context

register = template.Library()


@register.inclusion_tag("users/includes/members_rating.html")
def members_rating(movie: Any) -> dict[str, Any]:
    """The members' average and count, from the movie's own columns (no query)."""
    return {"movie": movie}


@register.inclusion_tag("users/includes/movie_members.html", takes_context=True)
def movie_members(context: template.Context, movie: Any) -> dict[str, Any]:
    request = context["request"]
    reviews = selectors.review_list(movie_id=movie.pk, viewer=request.user)
    page = paginate(
        request, reviews, per_page=selectors.REVIEWS_PER_PAGE, page_param="reviews_page"
    )
    return {
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
        "histogram": selectors.score_histogram(movie_id=movie.pk),
        "reviews": page["object_list"],
        "reviews_page": page,
        **own_rating_context(user=request.user, movie=movie),
    }
