"""Error pages: translated, in the site's layout, and a fragment for htmx requests."""

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from app.extensions import db


def _page(status: int, message: str):
    template = "errors/_error.html" if request.headers.get("HX-Request") else "errors/error.html"
    return render_template(template, status=status, message=message), status


def _has_nul(request_) -> bool:
    """NUL anywhere in the path, the query, the form or an upload's name: no field needs it."""
    if "\x00" in request_.path:
        return True
    for values in (request_.args, request_.form):
        if any("\x00" in key or any("\x00" in value for value in items) for key, items in values.lists()):
            return True
    return any("\x00" in (upload.filename or "") for upload in request_.files.values())


def init_app(app: Flask) -> None:
    """Register handlers for HTTP errors, CSRF failures, oversized uploads and crashes."""

    @app.before_request
    def refuse_nul_characters():
        # PostgreSQL cannot store NUL in text (psycopg raises): refuse it before any query instead of failing.
        if _has_nul(request):
            return _page(400, _("The request contains a character that cannot be stored (NUL)."))
        return None

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _page(400, _("The form expired or was sent from elsewhere. Reload the page and try again."))

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error):
        return _page(413, _("The file is too large."))

    @app.errorhandler(HTTPException)
    def http_error(error):
        messages = {
            403: _("You do not have access to this page."),
            404: _("This page does not exist."),
            405: _("This action is not allowed here."),
        }
        return _page(error.code or 500, messages.get(error.code, error.name))

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return _page(500, _("Something went wrong on our side. Nothing was saved."))
