"""The ways Tandem is started: docker compose, the image, make, scripts/find-python and CI.

No Docker engine runs where these tests run, so the compose file is checked as data, the
image's command is started directly, and `docker compose config` runs where the CLI exists.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import yaml

BASE_DIR = Path(__file__).resolve().parent.parent
APP_SERVICES = ["web", "migrate", "worker", "beat"]
TEST_SECRET_KEY = "compose-config-check-" + "s" * 50


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def dockerfile() -> str:
    return (BASE_DIR / "Dockerfile").read_text()


def app_env(compose: dict[str, Any], service: str) -> dict[str, str]:
    return compose["services"][service]["environment"]


# --- docker-compose.yml -------------------------------------------------------


def test_compose_runs_the_full_stack(compose: dict[str, Any]) -> None:
    services = compose["services"]

    assert set(services) == {"web", "migrate", "worker", "beat", "postgres", "redis", "mailpit"}
    assert services["postgres"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"
    assert services["mailpit"]["image"].startswith("axllent/mailpit")
    assert "8000:8000" in services["web"]["ports"]


def test_every_long_running_service_has_a_health_check(compose: dict[str, Any]) -> None:
    # migrate is a one-shot job: its exit code is its health.
    for name, service in compose["services"].items():
        if name == "migrate":
            assert "healthcheck" not in service
            continue
        test = service.get("healthcheck", {}).get("test")
        assert test and test[0] in {"CMD", "CMD-SHELL"}, f"{name} has no health check"


def test_web_worker_and_beat_start_only_after_migrations_succeeded(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]

    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["migrate"]["restart"] == "no"
    assert services["migrate"]["command"][-3:] == ["manage.py", "migrate", "--noinput"]
    for name in ["web", "worker", "beat"]:
        depends_on = services[name]["depends_on"]
        assert depends_on["migrate"]["condition"] == "service_completed_successfully", name
        assert depends_on["redis"]["condition"] == "service_healthy", name


def test_app_services_run_the_image_built_from_the_dockerfile(compose: dict[str, Any]) -> None:
    services = compose["services"]
    images = {services[name]["image"] for name in APP_SERVICES}

    assert len(images) == 1
    for name in APP_SERVICES:
        assert services[name]["build"] == {"context": ".", "dockerfile": "Dockerfile"}, name
    # web keeps the image's gunicorn command; the others say what they run.
    assert "command" not in services["web"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]


def test_app_services_are_configured_from_the_environment(compose: dict[str, Any]) -> None:
    for name in APP_SERVICES:
        env = app_env(compose, name)
        assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
        assert env["DATABASE_URL"].startswith("postgres://")
        assert "@postgres:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"].startswith("redis://redis:6379/")
        # No key is ever written into the file: compose refuses to start without one.
        assert env["DJANGO_SECRET_KEY"].startswith("${DJANGO_SECRET_KEY:?")
        assert "DJANGO_ALLOWED_HOSTS" in env
        assert env["DJANGO_EMAIL_BACKEND"] == "core.smtp.EmailBackend"
        assert (env["EMAIL_HOST"], env["EMAIL_PORT"]) == ("mailpit", "1025")
        assert env["TANDEM_PLAIN_HTTP"] == "1"


def _docker_compose_available() -> bool:
    if shutil.which("docker") is None:
        return False
    version = subprocess.run(
        ["docker", "compose", "version"], capture_output=True, text=True, timeout=30, check=False
    )
    return version.returncode == 0


def test_docker_compose_accepts_the_file_and_requires_a_secret_key() -> None:
    # The YAML checks above are the test where the compose CLI is absent (as in CI).
    if not _docker_compose_available():
        return
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    command = ["docker", "compose", "-f", str(BASE_DIR / "docker-compose.yml"), "config", "-q"]

    with_key = subprocess.run(
        command,
        env={**env, "DJANGO_SECRET_KEY": TEST_SECRET_KEY},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    without_key = subprocess.run(
        command, env=env, cwd="/", capture_output=True, text=True, timeout=60, check=False
    )

    assert with_key.returncode == 0, with_key.stderr
    assert without_key.returncode != 0
    assert "DJANGO_SECRET_KEY" in without_key.stderr


# --- Dockerfile and the image's command ---------------------------------------------


def test_image_is_python_312_slim_installs_locked_hashes_and_runs_as_non_root(
    dockerfile: str,
) -> None:
    instructions = [line.strip() for line in dockerfile.splitlines() if line.strip()]

    stages = [line for line in instructions if line.startswith("FROM ")]
    assert stages[0].startswith("FROM python:3.12-slim")
    assert "pip install --require-hashes -r requirements/base.lock" in dockerfile
    assert "collectstatic --noinput" in dockerfile
    assert "compilemessages" in dockerfile
    users = [line.split()[1] for line in instructions if line.startswith("USER ")]
    assert users, "the image never leaves root"
    assert users[-1].split(":")[0] not in {"root", "0"}


def _image_command(dockerfile: str) -> list[str]:
    cmd_lines = [line for line in dockerfile.splitlines() if line.startswith("CMD ")]
    return json.loads(cmd_lines[-1].removeprefix("CMD "))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_image_command_serves_health_and_static_files_with_production_settings(
    dockerfile: str, tmp_path: Path
) -> None:
    """Runs the image's build step (collectstatic) and its gunicorn command without Docker."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": TEST_SECRET_KEY,
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
    }
    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert collect.returncode == 0, collect.stderr
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
    hashed_css = manifest["paths"]["css/tandem.css"]
    assert re.fullmatch(r"css/tandem\.[0-9a-f]{12}\.css", hashed_css)

    command = _image_command(dockerfile)
    assert command[:2] == ["gunicorn", "config.wsgi:application"]
    port = _free_port()
    command = [str(Path(sys.executable).with_name("gunicorn")), *command[1:]]
    command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
    server = subprocess.Popen(
        command,
        cwd=BASE_DIR,
        env={**env, "WEB_CONCURRENCY": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                status, body = _get(f"{base}/healthz")
                break
            except OSError:
                assert server.poll() is None, server.communicate()[1]
                assert time.monotonic() < deadline, "gunicorn did not answer within 30s"
                time.sleep(0.2)
        css_status, css = _get(f"{base}/static/{hashed_css}")
        missing_status, _ = _get(f"{base}/static/css/no-such-file.css")
    finally:
        server.terminate()
        server.wait(timeout=15)

    assert status == 200
    assert json.loads(body)["status"] == "ok"
    assert json.loads(body)["database"] == "ok"
    assert css_status == 200
    assert css == (tmp_path / "static" / hashed_css).read_bytes()
    assert missing_status == 404


def test_dockerignore_keeps_local_state_and_secrets_out_of_the_image() -> None:
    ignored = set((BASE_DIR / ".dockerignore").read_text().split())

    assert {".git", ".venv", ".env", "db.sqlite3", "staticfiles"} <= ignored


# --- make, scripts/find-python, .ci/run -------------------------------------------


def test_find_python_prints_a_python_312_or_newer() -> None:
    found = subprocess.run(
        [str(BASE_DIR / "scripts" / "find-python")],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    python = found.stdout.strip()
    version = subprocess.run(
        [python, "-c", "import sys; print(*sys.version_info[:2])"],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )

    assert Path(python).is_absolute()
    major, minor = map(int, version.stdout.split())
    assert (major, minor) >= (3, 12)


def test_find_python_explains_what_to_install_when_there_is_none(tmp_path: Path) -> None:
    found = subprocess.run(
        ["/bin/sh", str(BASE_DIR / "scripts" / "find-python")],
        env={"PATH": str(tmp_path), "HOME": str(tmp_path), "PYENV_ROOT": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )

    assert found.returncode == 1
    assert found.stdout == ""
    assert "Python 3.12 or newer" in found.stderr


# What the caller's make or shell set (`make test PYTEST_ARGS=...` passes it down in
# MAKEFLAGS) must not change what the Makefile is checked to do by default.
MAKE_CALLER_VARIABLES = {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "TEST_WORKERS", "PYTEST_ARGS"}


def _make_dry_run(target: str, *variables: str) -> str:
    # -B: show every step even where the local .venv is already up to date.
    result = subprocess.run(
        ["make", "-n", "-B", target, *variables],
        cwd=BASE_DIR,
        env={k: v for k, v in os.environ.items() if k not in MAKE_CALLER_VARIABLES},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def test_make_run_installs_locked_packages_migrates_loads_demo_data_and_serves() -> None:
    steps = _make_dry_run("run")

    order = [
        steps.index("scripts/find-python"),
        steps.index("--require-hashes -r requirements/base.lock"),
        steps.index("manage.py migrate --noinput"),
        steps.index("manage.py load_demo"),
        steps.index("manage.py runserver 127.0.0.1:8000"),
    ]
    assert order == sorted(order)


def test_make_test_installs_the_dev_lock_and_runs_pytest() -> None:
    steps = _make_dry_run("test")

    assert steps.index("--require-hashes -r requirements/dev.lock") < steps.index("bin/pytest")


def _pytest_arguments(steps: str) -> list[str]:
    command = steps.splitlines()[-1].split()
    assert command[0].endswith("bin/pytest")
    return command[1:]


def test_make_test_runs_two_workers_unless_told_otherwise() -> None:
    default = _make_dry_run("test")
    serial = _make_dry_run("test", "TEST_WORKERS=0", "PYTEST_ARGS=-x tests/e2e")

    assert _pytest_arguments(default) == ["-n", "2"]
    assert _pytest_arguments(serial) == ["-n", "0", "-x", "tests/e2e"]


def test_ci_script_is_valid_bash_that_stops_at_the_first_failure() -> None:
    script = BASE_DIR / ".ci" / "run"
    syntax = subprocess.run(
        ["bash", "-n", str(script)], capture_output=True, text=True, timeout=30, check=False
    )

    assert syntax.returncode == 0, syntax.stderr
    assert "set -euo pipefail" in script.read_text()
    assert "TANDEM_REQUIRE_SERVICES=1" in script.read_text()
