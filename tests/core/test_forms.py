"""The one way from a form to a service and back, without a database or a real page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory, override_settings
from django_htmx.middleware import HtmxDetails

from core.forms import apply_validation_error, attempt, bind, handle, render_form
from core.http import HtmxHttpRequest

PAGE = (
    "page:{% partialdef fragment inline %}"
    "[{{ form.errors.as_text }}|{{ saved_message }}|{{ count }}]"
    "{% endpartialdef %}"
)


@pytest.fixture(autouse=True)
def _one_template() -> Iterator[None]:
    engine = {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", {"page.html": PAGE})]},
    }
    with override_settings(TEMPLATES=[engine]):
        yield


class NameForm(forms.Form):
    name = forms.CharField(max_length=10)


def _request(method: str = "get", data: dict[str, str] | None = None, *, htmx: bool = False):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    request: HtmxHttpRequest = getattr(RequestFactory(), method)("/", data or {}, **headers)
    request.htmx = HtmxDetails(request)
    request._messages = CookieStorage(request)  # type: ignore[attr-defined]
    return request


class Calls:
    """A stand-in service that remembers what it was called with."""

    def __init__(self, result: Any = "made", error: ValidationError | None = None) -> None:
        self.result, self.error = result, error
        self.seen: list[dict[str, Any]] = []

    def __call__(self, data: dict[str, Any]) -> Any:
        self.seen.append(dict(data))
        if self.error is not None:
            raise self.error
        return self.result


def test_a_get_binds_nothing_and_an_empty_post_is_a_submitted_form() -> None:
    assert not bind(_request("get"), NameForm).is_bound
    empty = bind(_request("post"), NameForm)
    assert empty.is_bound
    assert not empty.is_valid()


def test_a_refused_form_never_reaches_the_service() -> None:
    service = Calls()

    ok, result = attempt(bind(_request("post", {"name": "x" * 11}), NameForm), service)

    assert (ok, result) == (False, None)
    assert service.seen == []


def test_the_service_gets_the_cleaned_data_and_its_refusal_lands_on_the_fields() -> None:
    form = bind(_request("post", {"name": " Ada "}), NameForm)
    error = ValidationError({"name": "Taken.", "elsewhere": "Not a field here."})
    service = Calls(error=error)

    ok, _result = attempt(form, service)

    assert not ok
    assert service.seen == [{"name": "Ada"}]
    assert form.errors["name"] == ["Taken."]
    assert form.non_field_errors() == ["Not a field here."]


def test_a_refusal_without_fields_is_said_at_the_top() -> None:
    form = bind(_request("post", {"name": "Ada"}), NameForm)
    form.is_valid()

    apply_validation_error(form, ValidationError(["One.", "Two."]))

    assert form.non_field_errors() == ["One.", "Two."]


def test_a_get_shows_the_page_and_builds_its_context_without_a_result() -> None:
    seen: list[Any] = []
    service = Calls()
    request = _request("get")

    def page(result: Any) -> dict[str, Any]:
        seen.append(result)
        return {}

    response = handle(request, bind(request, NameForm), service, template="page.html", context=page)

    assert response.status_code == 200
    assert response.content.startswith(b"page:")
    assert seen == [None]
    assert service.seen == []


@pytest.mark.parametrize("htmx", [False, True])
def test_a_refused_post_is_a_400_with_the_page_or_its_fragment(htmx: bool) -> None:
    request = _request("post", {"name": ""}, htmx=htmx)
    form = bind(request, NameForm)

    response = handle(
        request,
        form,
        Calls(),
        template="page.html",
        fragment="fragment",
        context=lambda result: {"form": form},
    )

    assert response.status_code == 400
    assert response.content.startswith(b"[") == htmx
    assert b"This field is required." in response.content


def test_success_says_so_and_redirects_to_where_the_result_is_without_building_the_page() -> None:
    request = _request("post", {"name": "Ada"})

    def no_page(result: Any) -> dict[str, Any]:
        raise AssertionError("a redirect needs no page")

    response = handle(
        request,
        bind(request, NameForm),
        Calls(result=7),
        template="page.html",
        fragment="fragment",
        context=no_page,
        success_url=lambda pk: f"/things/{pk}/",
        success_message=lambda pk: f"Thing {pk} made.",
    )

    assert response.status_code == 302
    assert response["Location"] == "/things/7/"
    assert [str(m) for m in get_messages(request)] == ["Thing 7 made."]


def test_success_over_htmx_refreshes_the_fragment_with_the_message_in_it() -> None:
    request = _request("post", {"name": "Ada"}, htmx=True)

    response = handle(
        request,
        bind(request, NameForm),
        Calls(result=3),
        template="page.html",
        fragment="fragment",
        context=lambda count: {"count": count},
        success_url="/unused/",
        success_message="Saved.",
    )

    assert response.status_code == 200
    assert response.content == b"[|Saved.|3]"
    assert list(get_messages(request)) == []


def test_success_over_htmx_without_a_fragment_is_a_redirect_too() -> None:
    request = _request("post", {"name": "Ada"}, htmx=True)

    response = handle(
        request,
        bind(request, NameForm),
        Calls(),
        template="page.html",
        context=lambda result: {},
        success_url="/done/",
    )

    assert response.status_code == 302
    assert response["Location"] == "/done/"


def test_a_history_restore_gets_the_whole_page() -> None:
    request = _request("get", htmx=True)
    request.META["HTTP_HX_HISTORY_RESTORE_REQUEST"] = "true"

    response = render_form(request, "page.html", {}, fragment="fragment")

    assert response.content.startswith(b"page:")
