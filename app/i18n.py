"""Locale and timezone selection, translations looked up once per request, and the formatting helpers templates
use."""

import re
from functools import cached_property

from flask import Flask, current_app, g, request
from flask_babel import Babel, Domain, format_currency, format_decimal, get_locale
from flask_login import current_user

LOCALE_COOKIE = "lang"
LANGUAGE_NAMES = {"en": "English", "ky": "Кыргызча", "ru": "Русский", "uz": "Oʻzbekcha"}


def select_locale() -> str:
    """The switcher's choice (cookie, then profile), else the municipality's, else the browser's."""
    languages = current_app.config["LANGUAGES"]
    chosen = request.cookies.get(LOCALE_COOKIE)
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    municipality = g.get("public_municipality")
    if municipality is not None and municipality.default_locale in languages:
        return municipality.default_locale
    return request.accept_languages.best_match(languages) or "en"


def select_timezone() -> str:
    """The timezone of the municipality the page is about, else UTC."""
    municipality = g.get("public_municipality") or g.get("municipality")
    return municipality.timezone if municipality is not None else "UTC"


def format_money(amount, currency: str) -> str:
    """Money in the current locale, with the currency's symbol or code; whole amounts without decimals."""
    if amount is None:
        return ""
    if amount == int(amount):  # budgets are in whole som or sum: "1 000 000 сом", not "1 000 000,00 сом"
        pattern = get_locale().currency_formats["standard"].pattern.split(";")[0]
        pattern = re.sub(r"\.0+", "", pattern)
        return format_currency(amount, currency, format=pattern, currency_digits=False)
    return format_currency(amount, currency)


class RequestDomain(Domain):
    """Flask-Babel's message domain, with the request's translations looked up once per request.

    Flask-Babel looks them up again for every string, in Python, in templates and in lazy labels (about 30
    Python calls each), and the check-in desk draws a dozen after every scan. They are kept where Flask-Babel
    keeps its own per-request state, as `babel_translations`, which refresh() deletes and force_locale()
    clears and restores: a page that switches language (the two-language summary, the poster) still gets
    each language's strings.
    """

    def get_translations(self):
        state = g.get("_flask_babel") if g else None
        translations = getattr(state, "babel_translations", None)
        if translations is None:
            translations = super().get_translations()  # this also makes Flask-Babel's namespace on first use
            state = g.get("_flask_babel") if g else None
            if state is not None:
                state.babel_translations = translations
        return translations


class RequestBabel(Babel):
    """Flask-Babel whose default domain is a RequestDomain."""

    @cached_property
    def domain_instance(self):
        return RequestDomain(domain=self.domain)


def init_app(app: Flask) -> None:
    """Expose language names, the current locale and formatters to templates."""
    app.add_template_filter(lambda code: LANGUAGE_NAMES.get(code, code), "language_name")
    app.jinja_env.globals.update(
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        get_locale=get_locale,
        format_money=format_money,
        format_decimal=format_decimal,
    )
