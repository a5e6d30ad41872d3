"""Catalogs for en, ky, ru and uz are complete, current, and keep every placeholder."""

import glob
import os
import re
import subprocess
import sys

import pytest
from babel.messages.pofile import read_po

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOCALES = ("en", "ky", "ru", "uz")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def catalog(locale):
    with open(os.path.join(ROOT, "translations", locale, "LC_MESSAGES", "messages.po"), "rb") as po:
        return read_po(po, locale=locale)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The messages in the source today, extracted the way `flask translate update` does."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    pybabel = os.path.join(os.path.dirname(sys.executable), "pybabel")
    subprocess.run([pybabel, "-q", "extract", "-F", "babel.cfg", "-k", "_l", "--ignore-dirs", ".* __pycache__",
                    "-o", str(pot), "."],
                   cwd=ROOT, check=True)  # fmt: skip
    with open(pot, "rb") as handle:
        return {message.id for message in read_po(handle) if message.id}


def test_every_catalog_exists():
    found = {path.split(os.sep)[-2] for path in glob.glob(os.path.join(ROOT, "translations", "*", "LC_MESSAGES"))}
    assert set(LOCALES) <= found


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_has_every_message_of_the_source(locale, extracted):
    ids = {message.id for message in catalog(locale) if message.id}
    missing = extracted - ids
    assert not missing, f"run `flask translate update` and translate: {sorted(missing, key=str)[:5]}"


@pytest.mark.parametrize("locale", LOCALES)
def test_no_message_is_untranslated_or_fuzzy(locale):
    todo = [
        m.id for m in catalog(locale)
        if m.id and (m.fuzzy or not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]  # fmt: skip
    assert not todo, f"{len(todo)} untranslated or fuzzy in {locale}, e.g. {todo[:3]}"


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_the_placeholders(locale):
    wrong = []
    for message in catalog(locale):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(PLACEHOLDER.findall(ids[-1]))
        wrong += [ids[0] for s in strings if s and set(PLACEHOLDER.findall(s)) != expected]
    assert not wrong, wrong[:5]


@pytest.mark.parametrize("locale", ("ky", "ru", "uz"))
def test_translations_are_not_english_copies(locale):
    messages = [m for m in catalog(locale) if m.id and isinstance(m.id, str) and len(m.id) > 12]
    copies = [m.id for m in messages if m.string == m.id]
    assert len(copies) <= len(messages) // 20, copies[:5]


@pytest.mark.parametrize("locale, expected", [("ru", "Когда"), ("ky", "Качан"), ("uz", "Qachon")])
def test_the_app_loads_the_compiled_catalogs(app, locale, expected):
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale(locale):
        assert gettext("When") == expected


def test_templates_look_translations_up_once_per_request_and_follow_a_forced_language(app):
    """app/i18n.py keeps the request's translations; force_locale and refresh still switch, in templates and Python."""
    from flask import render_template_string
    from flask_babel import force_locale, gettext, lazy_gettext, refresh

    def when():
        shown = render_template_string('{{ _("When") }}')
        assert gettext("When") == str(lazy_gettext("When")) == shown
        return shown

    with app.test_request_context(headers={"Cookie": "lang=ky"}):
        assert when() == "Качан" and when() == "Качан"
        with force_locale("ru"):
            assert when() == "Когда"
            with force_locale("uz"):
                assert when() == "Qachon"
            assert when() == "Когда"
        assert when() == "Качан"
        with force_locale("en"):
            refresh()
            assert when() == "When"
        assert when() == "Качан"
