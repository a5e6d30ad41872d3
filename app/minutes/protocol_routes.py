"""The minutes as a printable page and as a PDF, for the clerk and (once published) for everyone."""

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import login_required

from app.auth.access import hearing_for
from app.auth.models import CAN_EDIT, CAN_VIEW
from app.hearings.models import SIGNED_KINDS
from app.hearings.public import public_hearing
from app.minutes import bp, pdf, protocol, service
from app.minutes.forms import SignedForm
from app.minutes.service import MinutesError

# The minutes exist from the opening of the session on.
HAS_MINUTES = ("in_session", "voting", "closed", "published")


def _language() -> str:
    """The language asked for with ?lang=, else the page's own."""
    asked = request.args.get("lang", "")
    return asked if asked in current_app.config["LANGUAGES"] else str(get_locale())


def _clerk_hearing(hearing_id, allowed=CAN_VIEW):
    """The hearing for a clerk's minutes page: not found before the session opens."""
    hearing = hearing_for(hearing_id, allowed)
    if hearing.state not in HAS_MINUTES:
        abort(404)
    return hearing


def _published(code):
    """The hearing for the public minutes: not found until it is published."""
    hearing = public_hearing(code)
    if not hearing.is_published:
        abort(404)
    return hearing


def _page(template, hearing, lang, status=200, signed_form=None, signed_kinds=SIGNED_KINDS):
    """The minutes page rendered entirely in `lang`."""
    with force_locale(lang):
        body = render_template(
            template, hearing=hearing, municipality=hearing.municipality, minutes=protocol.build(hearing), lang=lang,
            signed=service.signed_documents(hearing, signed_kinds),
            signed_form=signed_form or SignedForm(formdata=None), can_edit=g.get("role") in CAN_EDIT,
        )  # fmt: skip
    return body, status


def _pdf_response(hearing, lang):
    """The minutes in `lang` as an inline PDF named minutes-<code>-<lang>.pdf."""
    with force_locale(lang):
        body = pdf.render(protocol.build(hearing))
    filename = f"minutes-{hearing.public_code}-{lang}.pdf"
    return body, 200, {"Content-Type": "application/pdf", "Content-Disposition": f'inline; filename="{filename}"'}


@bp.route("/manage/hearings/<int:hearing_id>/minutes")
@login_required
def view(hearing_id):
    """The minutes as a printable page, in the language asked for."""
    hearing = _clerk_hearing(hearing_id)
    return _page("minutes/view.html", hearing, _language())


@bp.route("/manage/hearings/<int:hearing_id>/minutes.pdf", endpoint="pdf")
@login_required
def pdf_file(hearing_id):
    """The minutes as a PDF, in the language asked for."""
    return _pdf_response(_clerk_hearing(hearing_id), _language())


@bp.route("/h/<code>/minutes")
def public_view(code):
    """The published minutes as a printable page."""
    return _page("minutes/public.html", _published(code), _language(), signed_kinds=service.PUBLIC_SIGNED_KINDS)


@bp.route("/h/<code>/minutes.pdf")
def public_pdf(code):
    """The published minutes as a PDF."""
    return _pdf_response(_published(code), _language())


@bp.route("/manage/hearings/<int:hearing_id>/minutes/signed", methods=["POST"])
@login_required
def upload_signed(hearing_id):
    """Attach a photo or scan of the signed paper protocol or attendance sheet."""
    hearing = _clerk_hearing(hearing_id, CAN_EDIT)
    form = SignedForm()
    lang = _language()
    if not form.validate():
        return _page("minutes/view.html", hearing, lang, 422, form)
    try:
        service.upload_signed(hearing, form.kind.data, form.file.data)
    except MinutesError as refused:
        if refused.field is None:
            flash(str(refused.message), "error")
            return _page("minutes/view.html", hearing, lang, 409, form)
        form[refused.field].errors = [*form[refused.field].errors, refused.message]
        return _page("minutes/view.html", hearing, lang, 422, form)
    flash(_("The signed scan is attached to the minutes."), "success")
    return redirect(url_for(".view", hearing_id=hearing.id, lang=lang), 303)
