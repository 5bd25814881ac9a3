"""``{% fixed_url %}`` and ``{% fixed_static %}`` give what ``{% url %}`` and ``{% static %}``
give, and follow a change of the settings they depend on."""

from __future__ import annotations

import pytest
from django.template import engines
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse, set_script_prefix


def render(source: str, **context) -> str:
    return engines["django"].from_string("{% load fixed_urls %}" + source).render(context)


def test_a_fixed_url_is_the_reversed_url_with_or_without_constant_arguments():
    assert render("{% fixed_url 'movies:list' %}") == reverse("movies:list")
    assert render("{% fixed_url 'movies:detail' 0 %}") == reverse("movies:detail", args=[0])
    assert render("{% fixed_url 'movies:list' as x %}[{{ x }}]") == f"[{reverse('movies:list')}]"


def test_an_unknown_name_is_an_error_unless_optional():
    with pytest.raises(NoReverseMatch):
        render("{% fixed_url 'nowhere:at-all' %}")
    assert render("{% fixed_url 'nowhere:at-all' optional=True as x %}[{{ x }}]") == "[]"


def test_a_fixed_static_is_the_static_url_and_follows_static_url(settings):
    assert render("{% fixed_static 'css/site.css' %}") == static("css/site.css")
    settings.STATIC_URL = "/elsewhere/"
    assert render("{% fixed_static 'css/site.css' %}") == static("css/site.css")
    assert render("{% fixed_static 'css/site.css' %}").startswith("/elsewhere/")


def test_a_fixed_url_follows_the_script_prefix(settings):
    before = render("{% fixed_url 'movies:list' %}")
    settings.FORCE_SCRIPT_NAME = "/mounted/"
    set_script_prefix("/mounted/")
    try:
        assert render("{% fixed_url 'movies:list' %}") == "/mounted" + before
    finally:
        set_script_prefix("/")
