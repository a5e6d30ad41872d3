"""Form pieces shared by several domains, and WTForms' own messages routed through our catalogs."""

from flask_babel import get_translations, ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, IntegerField, SelectMultipleField, widgets
from wtforms.fields.choices import SelectChoice


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the SelectChoice objects WTForms 3.3 expects."""
    return [SelectChoice(value, label) for value, label in pairs]


YES_NO_UNKNOWN = [("yes", _l("Yes")), ("no", _l("No")), ("unknown", _l("Not decided yet"))]

# WTForms ships no Kyrgyz or Uzbek catalogue; listing its messages here puts them in ours.
WTFORMS_MESSAGES = (
    _l("This field is required."),
    _l("Not a valid choice."),
    _l("Not a valid date value."),
    _l("Not a valid time value."),
    _l("Not a valid datetime value."),
    _l("Not a valid integer value."),
    _l("Not a valid decimal value."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("Invalid input."),
    _l("Invalid email address."),
    _l("Invalid Choice: could not coerce."),
    _l("Invalid choice(s): one or more data inputs could not be coerced."),
)


def _plural_messages() -> tuple:
    """WTForms' plural messages, listed so that `flask translate extract` finds them."""
    return (
        ngettext("Field must be at least %(min)d character long.",
                 "Field must be at least %(min)d characters long.", 1),
        ngettext("Field cannot be longer than %(max)d character.",
                 "Field cannot be longer than %(max)d characters.", 1),
    )  # fmt: skip


class _CatalogTranslations:
    """Hands WTForms' messages to Flask-Babel so they use this app's catalogs."""

    def gettext(self, string):
        return get_translations().ugettext(string)

    def ngettext(self, singular, plural, n):
        return get_translations().ungettext(singular, plural, n)


# No count, age or amount here comes near this; beyond it WTForms' NumberRange overflows a float
# (math.isnan of a 400-digit number) and the database refuses the value.
WHOLE_NUMBER_MAX = 10**15


def _integer_fields(fields):
    """Every IntegerField of a form, including those inside FieldList and FormField rows."""
    for field in fields:
        if isinstance(field, IntegerField):
            yield field
        elif isinstance(field, FieldList):
            yield from _integer_fields(field.entries)
        elif isinstance(field, FormField):
            yield from _integer_fields(field.form)


class AppForm(FlaskForm):
    """Base form: CSRF from Flask-WTF, messages from our catalogs, absurdly large whole numbers refused."""

    class Meta:
        def get_translations(self, form):
            return _CatalogTranslations()

    def validate(self, extra_validators=None) -> bool:
        """The fields' own checks, after refusing whole numbers too large to check or store."""
        huge = [f for f in _integer_fields(self) if f.data is not None and abs(f.data) > WHOLE_NUMBER_MAX]
        for field in huge:
            field.data = None
        valid = super().validate(extra_validators)
        for field in huge:
            field.errors = [*field.errors, _l("This number is too large.")]
        return valid and not huge


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes (big tap targets, no Ctrl-click)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def tri_state(value: bool | None) -> str:
    """A nullable boolean as the value of a yes/no/unknown radio."""
    return {True: "yes", False: "no"}.get(value, "unknown")


def from_tri_state(value: str | None) -> bool | None:
    """A yes/no/unknown radio value as a nullable boolean."""
    return {"yes": True, "no": False}.get(value or "")
