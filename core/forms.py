"""One way from a form to a service and back, for every HTML view.

A view binds its form with :func:`bind` (to the POST data, also when empty, so
an empty POST is a refused form and never a blank page) and hands it to
:func:`handle` with the service call. ``handle`` validates the form (types and
shapes only; domain rules live in the services), calls the service with the
cleaned data, puts a service's ``ValidationError`` on the form's fields, and
answers:

- a refused form: 400 with the page, or for htmx the page's fragment;
- success on a plain request: a message and a redirect;
- success over htmx with a fragment: the refreshed fragment, 200.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


class DateInput(forms.DateInput):
    """A native date picker; ISO format so the browser can show the initial value."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def apply_validation_error(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's messages on the matching fields, the rest at the top of the form."""
    if hasattr(error, "error_dict"):
        for field, field_messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_messages)
    else:
        form.add_error(None, error.messages)


def bind[F: forms.BaseForm](request: HttpRequest, form_class: type[F], **kwargs: Any) -> F:
    """The form bound to what was posted, or unbound for a GET."""
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    return form_class(data, files, **kwargs)


def attempt[T](
    form: forms.BaseForm, action: Callable[[dict[str, Any]], T]
) -> tuple[bool, T | None]:
    """Validates a bound form and calls the service; on refusal the messages sit on the form."""
    if not form.is_bound or not form.is_valid():
        return False, None
    try:
        return True, action(form.cleaned_data)
    except ValidationError as error:
        apply_validation_error(form, error)
        return False, None


def _is_fragment_request(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    # A history restore after a cache miss needs the whole page, not the fragment.
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def respond(
    request: HttpRequest,
    *,
    ok: bool,
    template: str,
    context: dict[str, Any],
    fragment: str | None = None,
    success_url: str = "",
    success_message: str = "",
) -> HttpResponse:
    """The answer to a form: see the module's description."""
    htmx = fragment is not None and _is_fragment_request(request)
    if ok and not htmx:
        if success_message:
            messages.success(request, success_message)
        return redirect(success_url)
    if ok:
        context["saved_message"] = success_message
    status = 400 if request.method == "POST" and not ok else 200
    name = f"{template}#{fragment}" if htmx else template
    return render(request, name, context, status=status)


def handle[T](
    request: HttpRequest,
    form: forms.BaseForm,
    action: Callable[[dict[str, Any]], T],
    *,
    template: str,
    context: Callable[[T | None], dict[str, Any]],
    fragment: str | None = None,
    success_url: str | Callable[[T], str] = "",
    success_message: str | Callable[[T], str] = "",
) -> HttpResponse:
    """Validate, call the service, answer. ``context`` is built after the service ran: with
    its result on success (so a refreshed fragment shows the change), ``None`` otherwise."""
    ok, result = attempt(form, action) if request.method == "POST" else (False, None)
    url, message = "", ""
    if ok:
        assert result is not None or not callable(success_url)
        url = success_url(result) if callable(success_url) else success_url  # type: ignore[arg-type]
        message = (
            success_message(result)  # type: ignore[arg-type]
            if callable(success_message)
            else success_message
        )
    return respond(
        request,
        ok=ok,
        template=template,
        context=context(result if ok else None),
        fragment=fragment,
        success_url=url,
        success_message=message,
    )
