"""``{% url_prefix %}``: a list's links built from one reverse() give the same URLs."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template import engines
from django.urls import reverse

from core.templatetags.url_prefix import url_prefix


@pytest.mark.parametrize(("name", "arg"), [("movies:detail", 42), ("movies:home_row", "recent")])
def test_the_prefix_and_the_argument_make_the_reversed_url(name, arg):
    template = engines["django"].from_string(
        "{% load url_prefix %}{% url_prefix name as prefix %}{{ prefix }}{{ arg }}/"
    )
    assert template.render({"name": name, "arg": arg}) == reverse(name, args=[arg])


def test_a_pattern_that_does_not_end_with_its_argument_is_refused():
    with pytest.raises(ImproperlyConfigured):
        url_prefix("users:rating_remove")  # ratings/<movie_id>/remove/
