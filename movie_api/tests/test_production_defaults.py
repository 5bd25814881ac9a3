"""Issue 17, item 8: production defaults. A Content-Security-Policy on every response,
DRF's browsable API off unless DEBUG (or API_BROWSABLE), and a system check that warns
when several workers would each keep their own rate-limit counts."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from django.core.checks import Warning

from core import checks

pytestmark = pytest.mark.django_db

SETTINGS = Path(__file__).resolve().parents[1] / "settings.py"
STRONG_KEY = "k" * 20 + "-Zx9#Qw7!pL2@vB5$nM8%rT4^yU6&iO3*"


def csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
        for part in (piece.strip() for piece in header.split(";"))
        if part
    }


@pytest.mark.parametrize(
    "path", ["/", "/accounts/login/", "/swagger/", "/redoc/", "/graphql/", "/admin/login/"]
)
def test_every_page_has_a_csp_without_inline_scripts(client, path):
    response = client.get(path, HTTP_ACCEPT="text/html")

    policy = csp(response)
    assert policy["script-src"] == "'self'"
    assert "unsafe-inline" not in policy["script-src"]
    assert "unsafe-eval" not in policy["script-src"]
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"


def test_api_responses_carry_the_policy_too(client):
    assert csp(client.get("/api/movies/"))["default-src"] == "'self'"


def test_no_template_has_an_inline_script_or_event_handler():
    import re

    root = Path(__file__).resolve().parents[2]
    offenders = []
    for template in [*root.glob("templates/**/*.html"), *root.glob("*/templates/**/*.html")]:
        text = template.read_text()
        for match in re.finditer(r"<script(?P<attrs>[^>]*)>", text):
            attrs = match.group("attrs")
            if "src=" not in attrs and 'type="application/json"' not in attrs:
                offenders.append(f"{template}: {match.group(0)}")
        if re.search(r"\son[a-z]+\s*=", text):
            offenders.append(f"{template}: an on*= handler")
    assert offenders == []


def test_graphiql_reads_its_settings_from_a_json_block(client):
    page = client.get("/graphql/", HTTP_ACCEPT="text/html").content.decode()

    assert '<script id="graphene-settings" type="application/json">' in page
    assert "/static/js/graphiql-settings.js" in page


def test_redoc_loads_the_copy_without_the_cdn_logo(client):
    from django.contrib.staticfiles import finders

    page = client.get("/redoc/").content.decode()
    assert "/static/vendor/redoc/redoc.min.js" in page
    bundle = Path(finders.find("vendor/redoc/redoc.min.js")).read_text()
    assert "cdn.redoc.ly" not in bundle


# --- The browsable API --------------------------------------------------------------


def _settings_with(monkeypatch, **env: str) -> dict:
    for name in ("DJANGO_DEBUG", "API_BROWSABLE", "DJANGO_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def _renderers(values: dict) -> list[str]:
    return values["REST_FRAMEWORK"]["DEFAULT_RENDERER_CLASSES"]


BROWSABLE = "rest_framework.renderers.BrowsableAPIRenderer"


def test_the_browsable_api_is_off_in_production(monkeypatch):
    values = _settings_with(monkeypatch, DJANGO_DEBUG="0", DJANGO_SECRET_KEY=STRONG_KEY)

    assert BROWSABLE not in _renderers(values)


def test_the_browsable_api_can_be_switched_on_in_production(monkeypatch):
    values = _settings_with(
        monkeypatch, DJANGO_DEBUG="0", DJANGO_SECRET_KEY=STRONG_KEY, API_BROWSABLE="1"
    )

    assert BROWSABLE in _renderers(values)


def test_the_browsable_api_is_on_in_development(monkeypatch):
    assert BROWSABLE in _renderers(_settings_with(monkeypatch, DJANGO_DEBUG="1"))


# --- The shared-cache check ---------------------------------------------------------


@pytest.fixture
def production(settings, monkeypatch):
    settings.DEBUG = False
    settings.REDIS_URL = ""
    monkeypatch.delenv("GUNICORN_WORKERS", raising=False)
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    return monkeypatch


@pytest.mark.parametrize("variable", ["GUNICORN_WORKERS", "WEB_CONCURRENCY"])
def test_several_workers_without_redis_warn(production, variable):
    production.setenv(variable, "4")

    warnings = checks.check_shared_cache()

    assert [w.id for w in warnings] == ["core.W001"]
    assert isinstance(warnings[0], Warning)
    assert "REDIS_URL" in warnings[0].hint


def test_gunicorns_default_worker_count_warns_too(production):
    assert [w.id for w in checks.check_shared_cache()] == ["core.W001"]


def test_one_worker_is_fine(production):
    production.setenv("GUNICORN_WORKERS", "1")

    assert checks.check_shared_cache() == []


def test_a_shared_cache_is_fine(production, settings):
    production.setenv("GUNICORN_WORKERS", "4")
    settings.REDIS_URL = "redis://127.0.0.1:6379/7"

    assert checks.check_shared_cache() == []


def test_development_is_not_warned(production, settings):
    production.setenv("GUNICORN_WORKERS", "4")
    settings.DEBUG = True

    assert checks.check_shared_cache() == []


def test_the_check_is_registered():
    from django.core.checks.registry import registry

    assert checks.check_shared_cache in registry.get_checks()
