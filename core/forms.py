"""One way from a form to a service and back, for every HTML view.

A view decides first who may do what (404, 403), then binds its form with
:func:`bind` (to the POST data, also when empty, so an empty POST is a refused
form and never a blank page) and hands it to :func:`handle` with the service
call. ``handle`` validates the form (types and shapes only; domain rules live in
the services), calls the service with the cleaned data, puts a service's
``ValidationError`` on the form's fields, and answers:

- a GET: the page with the form, 200;
- a refused form: 400 with the page, or for htmx the page's fragment;
- success on a plain request: a message and a redirect;
- success over htmx with a fragment: the refreshed fragment, 200.

The success URL and message may be built from what the service returned (the
new object's page, its name in the message). A view whose success is more than
a redirect uses the two steps on their own: :func:`attempt`, then
:func:`render_form` when it was refused. A button without fields is a form too:
``bind(request, forms.Form)``, so a refusal shows as its errors.

Form pages answer GET and POST only (:data:`require_GET_or_POST`); pages that only
read answer GET and HEAD (Django's ``require_safe``), anything else 405.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods

from core.http import HtmxHttpRequest

# Django's label for an empty choice in a select is new and has no Spanish in Django's own
# catalogue yet; ours comes first in the search (LOCALE_PATHS), so it is translated there.
gettext_noop("- Select an option -")

#: A page with a form: shown by GET, sent by POST; any other method is answered 405.
require_GET_or_POST = require_http_methods(["GET", "POST"])


class DateInput(forms.DateInput):
    """A native date picker; ISO format so the browser can show the initial value."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def model_choice(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """One of the form's model choice fields, as such: ``form.fields`` holds plain fields."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField), f"{name} is not a model choice field"
    return field


def choice(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """One of the form's choice fields, as such."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField), f"{name} is not a choice field"
    return field


def apply_validation_error(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's messages on the matching fields, the rest at the top of the form."""
    if hasattr(error, "error_dict"):
        for field, field_messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_messages)
    else:
        form.add_error(None, error.messages)


def bind[F: forms.BaseForm](request: HttpRequest, form_class: type[F], **kwargs: Any) -> F:
    """The form bound to what was posted, or unbound for a GET."""
    if request.method == "POST":
        return form_class(request.POST, request.FILES, **kwargs)
    return form_class(**kwargs)


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


def is_fragment_request(request: HtmxHttpRequest) -> bool:
    """An htmx request that wants a page's fragment rather than the whole page."""
    # A history restore after a cache miss needs the whole page, not the fragment.
    return bool(request.htmx) and not request.htmx.history_restore_request


def render_form(
    request: HtmxHttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    fragment: str | None = None,
) -> HttpResponse:
    """The page with a form not (yet) accepted: 400 after a POST, 200 for a GET.

    An htmx request gets only ``fragment``, the part of the page that holds the form.
    """
    status = 400 if request.method == "POST" else 200
    if fragment is not None and is_fragment_request(request):
        template = f"{template}#{fragment}"
    return render(request, template, context, status=status)


def handle[T](
    request: HtmxHttpRequest,
    form: forms.BaseForm,
    action: Callable[[dict[str, Any]], T],
    *,
    template: str,
    context: Callable[[T | None], dict[str, Any]],
    fragment: str | None = None,
    success_url: str | Callable[[T], str] = "",
    success_message: str | Callable[[T], str] = "",
) -> HttpResponse:
    """Validate, call the service, answer: see the module's description.

    ``context`` is built only for a page that is rendered, after the service ran: with its
    result for a refreshed fragment (so it shows the change), with ``None`` for a GET or a
    refused form.
    """
    ok, result = attempt(form, action) if request.method == "POST" else (False, None)
    if not ok:
        return render_form(request, template, context(None), fragment=fragment)
    done = cast("T", result)  # what the service returned; None is a result too (a removal)
    message = success_message(done) if callable(success_message) else success_message
    if fragment is not None and is_fragment_request(request):
        page = context(done)
        page["saved_message"] = message
        return render(request, f"{template}#{fragment}", page)
    if message:
        messages.success(request, message)
    return redirect(success_url(done) if callable(success_url) else success_url)
