"""docs/api.md's "first request in five minutes", step by step, as a newcomer follows it.

The token is made the way the guide says, on the Developers page; then every ``curl`` of
the guide is run in order (against the test client instead of a live server), with the
variables the guide tells the reader to set.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

from django.test import Client
from django.utils import timezone

from tests import factories as f
from tests.conftest import World

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def _first_request_section() -> str:
    text = GUIDE.read_text()
    start = text.index("## Your first request in five minutes")
    return text[start : text.index("\n## ", start + 1)]


def _curls(section: str) -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.S)
    return [line for block in blocks for line in block.splitlines() if line.startswith("curl ")]


def _run(client: Client, command: str, env: dict[str, str]) -> Any:
    for name, value in env.items():
        command = command.replace(f"${name}", value)
    args = shlex.split(command)[1:]
    method, headers, data, url = "GET", {}, None, ""
    while args:
        arg = args.pop(0)
        if arg == "-X":
            method = args.pop(0)
        elif arg == "-H":
            name, _sep, value = args.pop(0).partition(": ")
            headers["HTTP_" + name.upper().replace("-", "_")] = value
        elif arg == "-d":
            data = args.pop(0)
        else:
            url = arg
    path = url.removeprefix("http://127.0.0.1:8000")
    content_type = headers.pop("HTTP_CONTENT_TYPE", "application/json")
    if method == "POST":
        return client.post(path, data, content_type=content_type, **headers)
    return client.get(path, **headers)


def test_the_first_request_guide_works_as_written(world: World) -> None:
    indicator = f.IndicatorFactory(partnership=world.partnership, name="Meals served")
    section = _first_request_section()
    assert "/developers/" in section and "Read and write" in section

    # Step 1, in the browser: the administrator makes a token on the Developers page.
    browser = Client()
    browser.force_login(world.entrepreneur)
    assert browser.get("/developers/").status_code == 200
    page = browser.post(
        f"/developers/{world.enterprise.pk}/tokens/", {"name": "Weekly counts", "scope": "write"}
    )
    assert page.status_code == 201
    match = re.search(r'<code id="new-token">(tdm_[^<]+)</code>', page.content.decode())
    assert match is not None
    env = {"TANDEM_TOKEN": match[1], "TANDEM": "http://127.0.0.1:8000"}

    # Steps 2 to 5: each curl of the guide, in order, with what the reader exported.
    partner_system = Client()
    curls = _curls(section)
    assert len(curls) == 4
    partnerships = _run(partner_system, curls[0], env)
    assert partnerships.status_code == 200
    env["PARTNERSHIP"] = str(partnerships.json()["results"][0]["id"])
    indicators = _run(partner_system, curls[1], env)
    assert [row["id"] for row in indicators.json()["results"]] == [indicator.pk]
    env["INDICATOR"] = str(indicator.pk)
    env["TODAY"] = timezone.localdate().isoformat()
    added = _run(partner_system, curls[2], env)
    assert added.status_code == 201, added.content
    assert _run(partner_system, curls[2], env).json() == added.json()  # a retry is safe
    measurements = _run(partner_system, curls[3], env)
    assert [row["value"] for row in measurements.json()["results"]] == ["42.00"]
