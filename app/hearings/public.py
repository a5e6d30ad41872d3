"""Public outputs of an announced hearing: page, poster, calendar file, documents."""

from flask import abort, g, render_template, send_file
from flask_babel import force_locale, get_locale
from flask_login import current_user
from markupsafe import Markup

from app.extensions import db
from app.hearings import bp, outputs, service
from app.hearings.models import Hearing, HearingDocument
from app.uploads import original_name


def public_hearing(code: str) -> Hearing:
    """A hearing that has been announced (drafts are not public)."""
    hearing = db.first_or_404(db.select(Hearing).where(Hearing.public_code == code.upper()))
    if not hearing.is_public:
        abort(404)
    g.public_municipality = hearing.municipality
    return hearing


@bp.route("/h/<code>")
def public_page(code):
    """The hearing's public page, readable on a phone."""
    hearing = public_hearing(code)
    return render_template("hearings/public.html", hearing=hearing, municipality=hearing.municipality,
                           text=hearing.best_text(str(get_locale())))  # fmt: skip


@bp.route("/h/<code>/poster")
def poster(code):
    """An A4 poster: two languages side by side and a large QR code to the public page."""
    hearing = public_hearing(code)
    columns = []
    for locale in _poster_languages(hearing):
        with force_locale(locale):
            columns.append(Markup(render_template("hearings/_poster_column.html", hearing=hearing,
                                           text=hearing.best_text(locale), locale=locale)))  # fmt: skip
    url = outputs.public_url(hearing)
    return render_template("hearings/poster.html", hearing=hearing, columns=columns, url=url,
                           qr=outputs.qr_svg(url))  # fmt: skip


def _poster_languages(hearing: Hearing) -> list[str]:
    """Up to two languages the hearing has texts in, in the municipality's order."""
    ordered = [code for code in hearing.municipality.language_list if code in hearing.languages]
    ordered += [code for code in hearing.languages if code not in ordered]
    return ordered[:2]


@bp.route("/h/<code>/calendar.ics")
def calendar(code):
    """The hearing as a calendar entry."""
    hearing = public_hearing(code)
    body = outputs.calendar_file(hearing, str(get_locale()))
    return body, 200, {
        "Content-Type": "text/calendar; charset=utf-8",
        "Content-Disposition": f'attachment; filename="hearing-{hearing.public_code}.ics"',
    }


def _is_member(hearing: Hearing) -> bool:
    """The logged-in user has a role in the hearing's municipality (and so may see its private documents)."""
    return current_user.is_authenticated and current_user.role_in(hearing.municipality_id) is not None


@bp.route("/h/<code>/documents/<int:document_id>")
def document(code, document_id):
    """Download a document attached to a public hearing."""
    hearing = public_hearing(code)
    doc = db.first_or_404(db.select(HearingDocument).filter_by(id=document_id, hearing_id=hearing.id))
    if not doc.is_public and not _is_member(hearing):
        abort(404)
    is_pdf = doc.content_type == "application/pdf"
    response = send_file(service.document_path(doc), mimetype=doc.content_type,  # old rows may hold CR/LF
                         download_name=original_name(doc.original_name), as_attachment=is_pdf)  # fmt: skip
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
