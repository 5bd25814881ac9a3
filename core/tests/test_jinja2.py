"""The Jinja2 engine (core/jinja2.py) writes every value as Django's templates would."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import engines
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

VALUES = [
    pytest.param('Heat & "Dust" <1995> l\'été', id="specials"),
    pytest.param(mark_safe("<b>kept</b>"), id="django-safe"),
    pytest.param(gettext_lazy("Home & <away>"), id="lazy"),
    pytest.param(42, id="int"),
    pytest.param(Decimal("4.5"), id="decimal"),
    pytest.param(None, id="none"),
    pytest.param("", id="empty"),
]


@pytest.mark.parametrize("value", VALUES)
def test_a_value_is_escaped_as_django_escapes_it(value):
    jinja = engines["jinja2"].env.from_string("[{{ value }}]")
    django = engines["django"].from_string("[{{ value }}]")
    assert jinja.render(value=value) == django.render({"value": value})
    assert jinja.render(value=value) == f"[{conditional_escape(value)}]"


def test_quotes_are_djangos_entities_not_markupsafes():
    out = engines["jinja2"].env.from_string("{{ v }}").render(v="'\"")
    assert out == "&#x27;&quot;"  # markupsafe alone writes &#39;&#34;


def test_truncatechars_is_djangos():
    template = engines["jinja2"].env.from_string("{{ v|truncatechars(10) }}")
    assert template.render(v="A title much longer than ten") == "A title m…"
    assert template.render(v="Short") == "Short"
