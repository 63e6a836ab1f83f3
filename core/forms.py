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

Two kinds of form protect people's work on their own. A :class:`VersionedForm` (an edit)
carries the version it was filled in from: when the service finds that someone else saved
in between (:class:`core.versioning.StaleEdit`), the form comes back showing what is stored
now, with a message, and nothing is overwritten. A :class:`OnceForm` (a create) carries a
one-time token claimed in the same transaction as the service's write: sent a second time,
it creates nothing and answers as if it had succeeded, with the object already created.

Form pages answer GET and POST only (:data:`require_GET_or_POST`); pages that only
read answer GET and HEAD (Django's ``require_safe``), anything else 405.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import IntegrityError, models, transaction
from django.forms.models import model_to_dict
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods

from core.http import HtmxHttpRequest
from core.models import FormToken
from core.versioning import MAX_VERSION, STALE_MESSAGE, StaleEdit

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


class VersionedForm(forms.Form):
    """An edit form: it carries the version of the object it was filled in from.

    The service takes it as ``expected_version``. When it refuses a stale save, the form
    shows what is stored now (:meth:`show_stored`) instead of what was sent.
    """

    expected_version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=0, max_value=MAX_VERSION
    )

    def stored_values(self, current: models.Model) -> dict[str, Any]:
        """The form's values for the object as it is stored now."""
        names = [name for name in self.fields if name != "expected_version"]
        return {
            **model_to_dict(current, fields=names),
            "expected_version": current.version,  # type: ignore[attr-defined]
        }

    def show_stored(self, current: models.Model) -> None:
        """After a stale save: the fields show the other person's version, and the new
        version travels on, so the next save is checked against what is shown."""
        self.initial = {**self.initial, **self.stored_values(current)}
        # Unbound, the fields render their initial values: what is stored, not what was sent.
        self.is_bound = False
        self.data = {}
        self._errors = ErrorDict()
        self.add_error(None, str(STALE_MESSAGE))


def new_form_token() -> str:
    return secrets.token_urlsafe(24)


class OnceForm(forms.Form):
    """A create form: sent twice, it creates one object (see :class:`core.models.FormToken`).

    A submission without a token (a script, an old page) is not protected but not refused.
    """

    form_token = forms.CharField(
        widget=forms.HiddenInput,
        required=False,
        max_length=64,
        initial=new_form_token,
        validators=[RegexValidator(r"^[A-Za-z0-9_-]+$")],
    )
    #: Set by :func:`attempt` when the form had been sent before: the result is the earlier one.
    resubmitted = False


ALREADY_SENT = _("This form had already been sent: nothing new was saved.")


def _claim(token: str) -> FormToken | None:
    """Claims the token in the caller's transaction; an earlier claim if it was taken."""
    try:
        with transaction.atomic():
            FormToken.objects.create(token=token)
    except IntegrityError:
        return FormToken.objects.get(token=token)
    return None


def _once[T](form: OnceForm, token: str, run: Callable[[], T]) -> tuple[bool, T | None]:
    with transaction.atomic():
        earlier = _claim(token)
        if earlier is not None:
            target = earlier.target()
            if target is None:
                form.add_error(None, str(ALREADY_SENT))
                return False, None
            form.resubmitted = True
            return True, cast("T", target)
        result = run()
        if isinstance(result, models.Model):
            FormToken.objects.filter(token=token).update(
                target_type=ContentType.objects.get_for_model(result), target_id=result.pk
            )
        return True, result


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
    data = dict(form.cleaned_data)
    token = data.pop("form_token", "") if isinstance(form, OnceForm) else ""
    try:
        if token:
            assert isinstance(form, OnceForm)
            return _once(form, token, lambda: action(data))
        return True, action(data)
    except StaleEdit as error:
        if not isinstance(form, VersionedForm):
            raise
        form.show_stored(error.current)
        return False, None
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
    if getattr(form, "resubmitted", False):
        message = str(ALREADY_SENT)
    else:
        message = success_message(done) if callable(success_message) else success_message
    if fragment is not None and is_fragment_request(request):
        page = context(done)
        page["saved_message"] = message
        return render(request, f"{template}#{fragment}", page)
    if message:
        messages.success(request, message)
    return redirect(success_url(done) if callable(success_url) else success_url)
