"""Spanish translations: the catalogue is complete, compiled, and the pages speak Spanish under /es/.

The catalogue checks are pure Python so they run on a laptop without gettext. The source
extraction mirrors ``makemessages``: Python files are read for gettext calls, templates go
through Django's own ``templatize``. A string added anywhere without a Spanish translation
fails here, with the msgid in the message.
"""

from __future__ import annotations

import ast
import gettext as gnu_gettext
import importlib
import io
import re
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Model, TextField
from django.test import Client
from django.utils import translation
from django.utils.translation.template import templatize

from accounts.models import User
from core.events import log_event
from tests.conftest import PERSONAS, World
from tests.test_url_walk import Scene, scene  # noqa: F401 (the walk's objects, as a fixture)

BASE_DIR = Path(settings.BASE_DIR)
PO_PATH = BASE_DIR / "locale" / "es" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

# Mirrors the ``makemessages --ignore`` list in the Makefile and README.
IGNORED_DIRS = {".venv", "bench", "staticfiles", "node_modules", "__pycache__", "locale"}

# Strings that read the same in both languages.
SAME_IN_BOTH = {"Tandem", "ID", "Plan", "Title (A–Z)", "Title (Z–A)", "API"}

PLACEHOLDER = re.compile(r"%\((\w+)\)[sdifr]|%[sdifr]")


# --- A tiny .po reader ----------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$')


def _unquote(text: str) -> str:
    value = ast.literal_eval(text)
    assert isinstance(value, str)
    return value


def parse_po(path: Path) -> tuple[Entry, list[Entry]]:
    """Return the header entry and the message entries; obsolete (#~) entries are left out."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal current, target
        if current is not None and (current.msgid or current.msgstr):
            entries.append(current)
        current, target = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            if not line:
                finish()
            continue
        if current is None:
            current = Entry(line=number)
        if line.startswith("#,"):
            current.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, text = match.groups()
            if keyword.startswith("msgstr"):
                target = ("msgstr", int(index or 0))
                current.msgstr[target[1]] = _unquote(text)
            else:
                target = (keyword, 0)
                setattr(current, keyword, _unquote(text))
            continue
        assert line.startswith('"') and target is not None, f"{path}:{number}: {raw!r}"
        if target[0] == "msgstr":
            current.msgstr[target[1]] += _unquote(line)
        else:
            setattr(current, target[0], (getattr(current, target[0]) or "") + _unquote(line))
    finish()
    header = entries.pop(0)
    assert header.msgid == "", "the .po file must start with its header"
    return header, entries


@pytest.fixture(scope="module")
def catalogue() -> tuple[Entry, list[Entry]]:
    return parse_po(PO_PATH)


# --- What the source code asks to translate -------------------------------------------------

# Keywords makemessages hands to xgettext: (singular position, plural position, context position)
KEYWORDS: dict[str, tuple[int, int | None, int | None]] = {
    "_": (0, None, None),
    "gettext": (0, None, None),
    "gettext_lazy": (0, None, None),
    "gettext_noop": (0, None, None),
    "ngettext": (0, 1, None),
    "ngettext_lazy": (0, 1, None),
    "pgettext": (1, None, 0),
    "pgettext_lazy": (1, None, 0),
    "npgettext": (1, 2, 0),
    "npgettext_lazy": (1, 2, 0),
}


def _call_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _msgids_from_calls(calls: list[tuple[str, list[object]]]) -> set[tuple[str | None, str]]:
    found: set[tuple[str | None, str]] = set()
    for name, args in calls:
        singular, _plural, context = KEYWORDS[name]
        if len(args) <= singular or not isinstance(args[singular], str):
            continue
        ctx = args[context] if context is not None and len(args) > context else None
        if context is not None and not isinstance(ctx, str):
            continue
        found.add((ctx if isinstance(ctx, str) else None, args[singular]))
    return found


def _python_calls(source: str) -> list[tuple[str, list[object]]]:
    calls: list[tuple[str, list[object]]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _call_name(node) in KEYWORDS:
            args = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
            calls.append((_call_name(node) or "", args))
    return calls


def _template_calls(source: str) -> list[tuple[str, list[object]]]:
    """``templatize`` turns a template into gettext(...) calls among filler; read those calls."""
    # Filler keeps the template's indentation, which the tokenizer would reject; the string
    # literals are single-line reprs, so dropping leading whitespace changes nothing else.
    flat = "\n".join(line.lstrip() for line in templatize(source).splitlines())
    tokens = list(tokenize.generate_tokens(io.StringIO(flat).readline))
    calls: list[tuple[str, list[object]]] = []
    for i, token in enumerate(tokens[:-1]):
        if token.type != tokenize.NAME or token.string not in KEYWORDS:
            continue
        if tokens[i + 1].string != "(":
            continue
        args: list[object] = []
        for arg_token in tokens[i + 2 :]:
            if arg_token.string == ")":
                break
            if arg_token.type == tokenize.STRING:
                args.append(ast.literal_eval(arg_token.string))
            elif arg_token.type == tokenize.NAME:
                args.append(None)
        calls.append((token.string, args))
    return calls


def source_msgids() -> dict[tuple[str | None, str], str]:
    """Every (context, msgid) in the project's .py, .html and .txt files -> first file using it."""
    found: dict[tuple[str | None, str], str] = {}
    for path in sorted(BASE_DIR.rglob("*")):
        relative = path.relative_to(BASE_DIR)
        if any(part in IGNORED_DIRS or part.startswith(".") for part in relative.parts):
            continue
        if path.suffix not in {".py", ".html", ".txt"} or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".py":
            calls = _python_calls(text)
        elif "{%" in text:
            calls = _template_calls(text)
        else:
            continue
        for key in _msgids_from_calls(calls):
            found.setdefault(key, str(relative))
    return found


# --- The catalogue ----------------------------------------------------------------------------


def test_header_declares_spanish_with_two_plural_forms(catalogue):
    header, _entries = catalogue
    text = header.msgstr[0]
    assert "Language: es\n" in text
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in text
    assert "charset=UTF-8" in text
    assert "fuzzy" not in header.flags, "a fuzzy header is ignored by msgfmt"


def test_every_entry_is_translated_and_none_is_fuzzy(catalogue):
    _header, entries = catalogue
    assert len(entries) > 500, "the catalogue looks truncated"
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    untranslated = [e.msgid for e in entries if not e.msgstr or not all(e.msgstr.values())]
    assert fuzzy == []
    assert untranslated == []


def test_plural_entries_have_both_spanish_forms(catalogue):
    _header, entries = catalogue
    plurals = [e for e in entries if e.msgid_plural is not None]
    assert plurals, "the catalogue has plural entries (e.g. the portfolio count)"
    for entry in plurals:
        assert sorted(entry.msgstr) == [0, 1], entry.msgid


def test_translations_keep_every_placeholder(catalogue):
    _header, entries = catalogue
    for entry in entries:
        if entry.msgid_plural is None:
            assert sorted(PLACEHOLDER.findall(entry.msgstr[0])) == sorted(
                PLACEHOLDER.findall(entry.msgid)
            ), entry.msgid
        else:
            # The singular form may spell out "one" instead of the counter, nothing else.
            singular = set(PLACEHOLDER.findall(entry.msgstr[0]))
            assert singular <= set(PLACEHOLDER.findall(entry.msgid_plural)), entry.msgid
            assert set(PLACEHOLDER.findall(entry.msgstr[1])) == set(
                PLACEHOLDER.findall(entry.msgid_plural)
            ), entry.msgid_plural


def test_translations_are_not_copies_of_the_english(catalogue):
    _header, entries = catalogue
    copied = [
        e.msgid
        for e in entries
        if e.msgid_plural is None and e.msgstr[0] == e.msgid and e.msgid not in SAME_IN_BOTH
    ]
    assert copied == []


def test_every_string_in_the_source_is_in_the_catalogue(catalogue):
    """New strings need a makemessages run and a translation before they reach main."""
    _header, entries = catalogue
    translated = {e.key for e in entries}
    missing = {key: where for key, where in source_msgids().items() if key not in translated}
    assert missing == {}, (
        "Not in locale/es/LC_MESSAGES/django.po yet. Run `manage.py makemessages -l es "
        "--ignore=.venv --ignore=bench --ignore=staticfiles --no-obsolete`, translate, then "
        "`manage.py compilemessages --ignore=.venv`. Missing: "
        + "; ".join(f"{msgid!r} ({where})" for (_ctx, msgid), where in sorted(missing.items()))
    )


def test_source_scan_finds_strings_from_python_and_templates():
    found = source_msgids()
    assert (None, "Portfolio") in found  # {% translate %} in a template
    assert (None, "Choose a city government.") in found  # gettext in a service
    assert (None, "%(counter)s partnership") in found  # {% blocktranslate count %}


def test_compiled_catalogue_matches_the_po_file(catalogue):
    """The committed .mo serves laptops without gettext, so it must say what the .po says."""
    _header, entries = catalogue
    with MO_PATH.open("rb") as handle:
        compiled = gnu_gettext.GNUTranslations(handle)
    stale: list[str] = []
    for entry in entries:
        msgid = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            if compiled._catalog.get(msgid) != entry.msgstr[0]:  # type: ignore[attr-defined]
                stale.append(entry.msgid)
        else:
            for index, text in entry.msgstr.items():
                if compiled._catalog.get((msgid, index)) != text:  # type: ignore[attr-defined]
                    stale.append(entry.msgid)
    assert stale == [], "compile with `manage.py compilemessages --ignore=.venv`"


def test_django_loads_the_spanish_catalogue():
    with translation.override("es"):
        assert translation.gettext("Portfolio") == "Cartera"
        assert translation.gettext("City point of contact") == "Enlace de la ciudad"
        assert translation.ngettext("One stage", "%(counter)s stages", 1) == "Una etapa"
        assert (
            translation.ngettext("One stage", "%(counter)s stages", 3) % {"counter": 3}
            == "3 etapas"
        )
    with translation.override("en"):
        assert translation.gettext("Portfolio") == "Portfolio"


# --- Pages under /es/ ---------------------------------------------------------------------------


def _spanish_page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert '<html lang="es"' in html
    assert response.headers["Content-Language"] == "es"
    return html


@pytest.mark.django_db
def test_home_page_in_spanish():
    html = _spanish_page(Client(), "/es/")
    assert "Alianzas que cambian una ciudad, llevadas en conjunto" in html
    assert "Crear una cuenta" in html
    assert "Ir al contenido" in html
    assert "Partnerships that change a city" not in html


@pytest.mark.django_db
def test_home_page_stays_english_without_the_prefix():
    response = Client().get("/")
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "Partnerships that change a city, run together" in html


@pytest.mark.django_db
def test_login_page_in_spanish():
    html = _spanish_page(Client(), "/es/accounts/login/")
    assert "Iniciar sesión" in html
    assert "Registrarse" in html


@pytest.mark.django_db
def test_playbook_in_spanish():
    html = _spanish_page(Client(), "/es/playbook/")
    assert "Las ocho prácticas" in html
    assert "Preguntas para hacerse juntos" in html
    # The practices themselves come from the database in their Spanish version.
    assert "Beneficiarios como agentes de cambio" in html


def test_partnership_page_in_spanish_for_city_staff(world: World, client_as):
    url = f"/es/partnerships/{world.partnership.pk}/"
    html = _spanish_page(client_as("city_staff"), url)
    assert "Secciones de la alianza" in html
    assert "Reuniones de seguimiento" in html
    assert "Historial de actividad" in html
    assert "liderada por" in html
    assert "Socios y quién hace qué" in html
    assert "Partners and who does what" not in html


def test_portfolio_in_spanish_for_city_staff(world: World, client_as):
    html = _spanish_page(client_as("city_staff"), "/es/partnerships/")
    assert "Cartera" in html
    assert "Próxima reunión de seguimiento" in html
    assert "Nueva alianza" in html


def test_spanish_page_of_someone_elses_partnership_is_still_not_found(world: World, client_as):
    response = client_as("other_city_staff").get(f"/es/partnerships/{world.partnership.pk}/")
    assert response.status_code == 404
    assert "No encontrado" in response.content.decode()


# --- The language switcher ----------------------------------------------------------------------


@pytest.mark.django_db
def test_every_page_offers_the_language_switcher():
    html = Client().get("/playbook/").content.decode()
    assert 'action="/i18n/setlang/"' in html
    assert 'value="es"' in html
    assert 'name="next"' in html


@pytest.mark.django_db
def test_switching_to_spanish_sets_the_cookie_and_lands_on_the_spanish_page():
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/playbook/"})
    assert response.status_code == 302
    assert response.url == "/es/playbook/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert "Las ocho prácticas" in _spanish_page(client, response.url)


@pytest.mark.django_db
def test_switching_to_english_from_an_english_address_sets_the_cookie():
    client = Client()
    client.post("/i18n/setlang/", {"language": "es", "next": "/playbook/"})
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/playbook/"})
    assert response.status_code == 302
    assert response.url == "/playbook/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get(response.url).content.decode()
    assert '<html lang="en"' in html
    assert "The eight practices" in html


@pytest.mark.django_db
def test_switcher_ignores_an_unknown_language_and_a_foreign_next():
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert not response.url.startswith("https://evil.example")
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies


@pytest.mark.django_db
def test_switching_back_to_english_from_a_spanish_page(client) -> None:
    response = client.post("/es/i18n/setlang/", {"language": "en", "next": "/es/playbook/"})
    assert response.status_code == 302
    assert response["Location"] == "/playbook/"


@pytest.mark.django_db
def test_switcher_on_a_spanish_page_posts_within_the_spanish_prefix(client) -> None:
    html = client.get("/es/playbook/").content.decode()
    assert 'action="/es/i18n/setlang/"' in html


# --- Every page, read by a Spanish reader -------------------------------------------------------
#
# The catalogue's English source strings must not show on any page under /es/. The walk opens
# every page of tests/test_url_walk.py that a persona may open, as that persona with Spanish as
# their language, after one event of every registered action was logged on the partnership and
# on the city. What people typed (names, titles, the events' stored data) is taken out of the
# page's text first: it is in the language its author wrote it in.

# The attributes a person reads or hears (an optgroup's label, a stacked table cell's
# data-label on a phone); everything else in a tag is for machines.
VISIBLE_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt", "label", "data-label"}
HIDDEN_ELEMENTS = {"script", "style", "template", "noscript"}
# English source strings too short or too generic to tell English from Spanish or a name.
# The placeholders as separators (PLACEHOLDER captures the names, which split() would keep).
PLACEHOLDER_SEPARATOR = re.compile(r"%\(\w+\)[sdifr]|%[sdifr]")
# An empty choice no catalogue translates (a model field's default blank choice).
BLANK_CHOICE_DASH = "---------"
TOO_GENERIC = {"Tandem", "ID", "Plan", "No", "Total", "Error", "Local", "General", "Social"}


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0
        # An element marked as another language (the switcher's "English") says what it means.
        self._foreign: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN_ELEMENTS:
            self._hidden += 1
        language = dict(attrs).get("lang")
        if language and not language.startswith("es") and self._foreign is None:
            self._foreign = tag
        for name, value in attrs:
            if value and name in VISIBLE_ATTRIBUTES:
                self.parts.append(value)
            if value and name == "value" and ("type", "submit") in attrs:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN_ELEMENTS and self._hidden:
            self._hidden -= 1
        if tag == self._foreign:
            self._foreign = None

    def handle_data(self, data: str) -> None:
        if not self._hidden and self._foreign is None and data.strip():
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return "\n".join(" ".join(part.split()) for part in parser.parts)


def _phrases_of(text: str) -> list[str]:
    """A source string, or the pieces of it between its placeholders, worth looking for."""
    pieces = [
        " ".join(piece.split()).strip(" :,.;“”\"'()—-")
        for piece in PLACEHOLDER_SEPARATOR.split(text)
    ]
    if len(pieces) == 1:
        # A whole string: a word alone only when it cannot be read as Spanish or a name.
        phrase = pieces[0]
        return [phrase] if phrase and phrase not in TOO_GENERIC and len(phrase) > 3 else []
    # Between placeholders: only pieces of two or more words say something in English.
    return [p for p in pieces if p and len(p.split()) >= 2 and len(p) >= 8]


def english_phrases(entries: list[Entry]) -> dict[str, str]:
    """English phrase -> the msgid it comes from, for every string Spanish says otherwise."""
    found: dict[str, str] = {}
    for entry in entries:
        spanish = " ".join(entry.msgstr.values())
        for text in filter(None, (entry.msgid, entry.msgid_plural)):
            if entry.msgstr.get(0) == text:
                continue
            for phrase in _phrases_of(text):
                # "Email" stays "Email" inside a longer Spanish label: not a sign of English.
                if phrase.lower() not in spanish.lower():
                    found.setdefault(phrase, entry.msgid)
    return found


def _catalogue_of(package: str) -> Path:
    module = importlib.import_module(package)
    assert module.__file__ is not None
    return Path(module.__file__).parent / "locale" / "es" / "LC_MESSAGES" / "django.po"


# Beside ours, the catalogues of the libraries whose texts reach our pages: Django's forms
# (the empty choice, the field errors) and allauth's pages and messages. One of their
# strings without a Spanish translation shows in English too, so it counts.
THEIR_CATALOGUES = ("django.conf", "allauth")


@pytest.fixture(scope="module")
def english_matcher(catalogue: tuple[Entry, list[Entry]]) -> re.Pattern[str]:
    _header, entries = catalogue
    phrases = english_phrases(entries)
    for package in THEIR_CATALOGUES:
        _their_header, theirs = parse_po(_catalogue_of(package))
        ours = {e.msgid for e in entries}
        phrases.update(
            (phrase, msgid)
            for phrase, msgid in english_phrases([e for e in theirs if e.msgid not in ours]).items()
            if phrase not in phrases
        )
    return _matcher(phrases)


def _matcher(phrases: dict[str, str]) -> re.Pattern[str]:
    longest_first = sorted(phrases, key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(p) for p in longest_first) + r")(?!\w)")


def typed_content() -> list[str]:
    """What people typed, as stored: names, titles, descriptions and the events' data."""
    from accounts.models import Organization, User
    from core.models import Event
    from partnerships import models as pm

    values: set[str] = set()
    for model in (Organization, User, *pm.__dict__.values()):
        if not (isinstance(model, type) and issubclass(model, Model) and not model._meta.abstract):
            continue
        if model._meta.app_label not in ("accounts", "partnerships"):
            continue
        text_fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, CharField | TextField) and not f.choices
        ]
        for row in model.objects.values_list(*text_fields):
            values.update(v for v in row if isinstance(v, str))

    def strings(value: object) -> Iterator[str]:
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from strings(item)
        elif isinstance(value, list):
            for item in value:
                yield from strings(item)

    for data in Event.objects.values_list("data", flat=True):
        values.update(strings(data))
    return sorted((" ".join(v.split()) for v in values if len(v.strip()) >= 4), key=len)[::-1]


def english_on_page(text: str, matcher: re.Pattern[str], typed: list[str]) -> set[str]:
    for value in typed:
        text = text.replace(value, "\n")
    return {match[1] for match in matcher.finditer(text)}


def _every_kind_of_event(world: World) -> None:
    from tests.core.test_events import _samples

    with transaction.atomic():
        for action, data in _samples(world).items():
            log_event(
                actor=world.city_admin,
                action=action,
                partnership_id=world.partnership.pk,
                organization_id=world.city.pk,
                data=data,
            )


def test_english_phrases_come_from_the_catalogue_and_spare_shared_words(catalogue):
    _header, entries = catalogue
    phrases = english_phrases(entries)
    assert phrases["Partners and who does what"] == "Partners and who does what"
    assert "Portfolio" in phrases
    assert "Tandem" not in phrases and "Plan" not in phrases
    matcher = _matcher(phrases)
    assert english_on_page("Cartera · Partners and who does what", matcher, []) == {
        "Partners and who does what"
    }
    # What someone typed in English is theirs to write.
    typed = ["Partners and who does what (our notes)"]
    assert english_on_page("Partners and who does what (our notes)", matcher, typed) == set()


def test_visible_text_leaves_out_scripts_and_markup_and_keeps_labels():
    # The <title> names the browser tab and is the first thing a screen reader says.
    html = (
        "<html><head><title>Cartera · Tandem</title></head><body><script>var Portfolio;</script>"
        '<input placeholder="Buscar"><a href="/x" class="Portfolio">Cartera</a>'
        '<select><option lang="en">English</option></select></body></html>'
    )
    assert visible_text(html).split("\n") == ["Cartera · Tandem", "Buscar", "Cartera"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_english_source_string_on_any_spanish_page(
    persona: str, request: pytest.FixtureRequest, client_as, english_matcher
) -> None:
    from tests.test_url_walk import _expected, _url, all_routes

    walk_scene: Scene = request.getfixturevalue("scene")
    world = walk_scene.world
    User.objects.update(preferred_language="es")
    _every_kind_of_event(world)
    typed = typed_content()
    client = client_as(persona)

    pages = [
        url
        for route in all_routes()
        if not route.is_admin
        and _expected(route, persona) == 200
        and (url := _url(route, walk_scene, "es")).startswith("/es/")
    ]
    assert len(pages) >= (8 if persona == "anonymous" else 12)
    found: list[str] = []
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        if not response["Content-Type"].startswith("text/html"):
            continue
        text = visible_text(response.content.decode())
        for phrase in sorted(english_on_page(text, english_matcher, typed)):
            found.append(f"{url}: {phrase!r}")
        if BLANK_CHOICE_DASH in text:
            found.append(f"{url}: Django's untranslatable empty choice {BLANK_CHOICE_DASH!r}")

    assert found == [], f"English on Spanish pages as {persona}:\n" + "\n".join(found)


def test_signing_in_and_out_speaks_the_persons_language(world: World, english_matcher) -> None:
    """allauth writes its message when the login form is sent: the form's language, not the
    language of the page the person lands on."""
    User.objects.filter(pk=world.city_staff.pk).update(preferred_language="es")
    client = Client()
    response = client.post(
        "/accounts/login/",
        {"login": world.city_staff.email, "password": "correct-horse-battery"},
        follow=True,
    )
    assert response.redirect_chain[-1][0].startswith("/es/")
    text = visible_text(response.content.decode())
    assert "Ha iniciado sesión exitosamente como Rosa Contact." in text
    assert english_on_page(text, english_matcher, ["Rosa Contact"]) == set()

    response = client.post("/es/accounts/logout/", follow=True)
    assert response.redirect_chain[0][0] == "/es/"
    text = visible_text(response.content.decode())
    assert "Ha cerrado sesión." in text
    assert english_on_page(text, english_matcher, []) == set()


def test_chart_axis_dates_are_written_the_readers_way(world: World, client_as) -> None:
    from datetime import date

    from tests import factories as f

    indicator = f.IndicatorFactory(partnership=world.partnership)
    f.MeasurementFactory(indicator=indicator, date=date(2026, 10, 23))
    f.MeasurementFactory(indicator=indicator, date=date(2026, 12, 2))
    client = client_as("city_staff")
    url = f"/partnerships/{world.partnership.pk}/evidence/"

    spanish = _spanish_page(client, "/es" + url)
    english = client.get(url).content.decode()

    assert ">23/10/2026</text>" in spanish and ">02/12/2026</text>" in spanish
    assert ">10/23/2026</text>" in english and ">12/02/2026</text>" in english
