"""Deployment hardening that lives in core/ and config/: private pages, the plain-http switch."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("name", "with_partnership"),
    [
        ("partnerships:dashboard", False),
        ("partnerships:detail", True),
        ("partnerships:money", True),
        ("accounts:profile", False),
        ("playbook:practices", False),
    ],
)
def test_every_page_for_a_signed_in_person_is_private_and_not_stored(
    world, client_as, name, with_partnership
):
    url = reverse(name, args=[world.partnership.pk] if with_partnership else [])
    response = client_as("city_staff").get(url)
    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives


def test_pages_for_visitors_may_be_cached(client, db):
    response = client.get(reverse("playbook:practices"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_plain_http_switch_warns_in_check_deploy(settings, db):
    settings.TANDEM_PLAIN_HTTP = True
    ids = {message.id for message in run_checks(include_deployment_checks=True)}
    assert "tandem.W001" in ids
    settings.TANDEM_PLAIN_HTTP = False
    ids = {message.id for message in run_checks(include_deployment_checks=True)}
    assert "tandem.W001" not in ids


def _production_setting(name: str, **env: str) -> str:
    code = (
        "import django, os; from django.conf import settings; django.setup(); "
        f"print(repr(getattr(settings, {name!r})))"
    )
    environ = {
        **{k: v for k, v in os.environ.items() if not k.startswith("TANDEM_")},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "k" * 60,
        **env,
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=environ, cwd=BASE_DIR, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_secure_cookies_stay_on_in_production_unless_switched_off():
    assert _production_setting("SESSION_COOKIE_SECURE") == "True"
    assert _production_setting("CSRF_COOKIE_SECURE") == "True"
    assert _production_setting("SESSION_COOKIE_SECURE", TANDEM_PLAIN_HTTP="1") == "False"
    assert _production_setting("SECURE_SSL_REDIRECT", TANDEM_PLAIN_HTTP="1") == "False"
    assert _production_setting("SECURE_HSTS_SECONDS", TANDEM_PLAIN_HTTP="1") == "0"


def test_trusted_proxy_count_comes_from_the_environment():
    assert _production_setting("ALLAUTH_TRUSTED_PROXY_COUNT") == "0"
    assert _production_setting("ALLAUTH_TRUSTED_PROXY_COUNT", TANDEM_TRUSTED_PROXY_COUNT="1") == "1"


def test_celery_app_defaults_to_the_production_settings_as_wsgi_does(monkeypatch):
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)
    for module in ("config.celery", "config.wsgi"):
        source = (BASE_DIR / (module.replace(".", "/") + ".py")).read_text()
        assert 'setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")' in source
    # The module must still import under whatever settings are active.
    importlib.import_module("config.celery")


def test_load_demo_refuses_the_production_settings_without_the_flag(settings, db):
    from django.core.management import CommandError, call_command

    from accounts.models import User

    settings.TANDEM_PUBLIC_DEPLOYMENT = True
    with pytest.raises(CommandError, match="i-know-this-is-public"):
        call_command("load_demo")
    assert not User.objects.exists()


def test_dockerfile_sends_gunicorn_errors_to_stderr():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    assert '"--error-logfile", "-"' in dockerfile


def test_old_secret_keys_come_from_the_environment_while_rotating():
    assert _production_setting("SECRET_KEY_FALLBACKS") == "[]"
    old = "o" * 60
    assert _production_setting("SECRET_KEY_FALLBACKS", DJANGO_SECRET_KEY_FALLBACKS=old) == repr(
        [old]
    )
