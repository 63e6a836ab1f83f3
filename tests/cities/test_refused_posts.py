"""A valid post to any of the cities room's forms, from someone the city does not know,
changes nothing: another city's staff get "not found", a visitor the sign-in page."""

from __future__ import annotations

import pytest

from tests.test_bad_input import FORMS, _changed, _client, _state

# The scene fixture, as the bad-input walk builds it.
from tests.test_bad_input import scene as scene
from tests.test_url_walk import Scene

CITY_FORMS = sorted(key for key in FORMS if key.startswith("cities:"))


@pytest.mark.parametrize("key", CITY_FORMS)
@pytest.mark.parametrize("persona", ["other_city_staff", "anonymous"])
def test_a_valid_post_from_outside_the_city_changes_nothing(
    key: str, persona: str, scene: Scene
) -> None:
    form = FORMS[key]
    url, data = form.url(key, scene), form.valid(scene)
    client = _client(scene, persona)  # signing in writes the last login: before the count
    before = _state()

    response = client.post(url, data)

    expected = 302 if persona == "anonymous" else 404
    assert response.status_code == expected
    if persona == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
    assert _changed(before, _state()) == []
