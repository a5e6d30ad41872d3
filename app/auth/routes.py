"""Login, logout and the language switcher."""

import functools

import sqlalchemy as sa
from flask import current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.orm import joinedload

from app.auth import bp
from app.auth.forms import LoginForm
from app.auth.models import User
from app.auth.service import Throttled, authenticate
from app.extensions import db, login_manager
from app.i18n import LOCALE_COOKIE

login_manager.login_view = "auth.login"
login_manager.login_message = None


@functools.cache
def _user_statement():
    """Built once, on first use (the mappers are complete by then): every clerk request runs it."""
    return sa.select(User).options(joinedload(User.memberships)).where(User.id == sa.bindparam("user_id"))


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Load the logged-in user for Flask-Login."""
    if not user_id.isdigit():
        return None
    # Every clerk page checks a role: load the memberships with the user, in one query.
    return db.session.scalars(_user_statement(), {"user_id": int(user_id)}).unique().first()


def _safe_next(target: str | None, default: str = "municipalities.manage_index") -> str:
    """Only follow `next` to a path on this site."""
    # Browsers drop tabs and newlines from a URL: "/\t/evil.example" would become "//evil.example".
    if target and any(ord(c) < 33 or ord(c) == 127 for c in target):
        return url_for(default)
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for(default)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the login form and log the user in."""
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = authenticate(form.username.data, form.password.data, request.remote_addr or "")
        except Throttled as blocked:
            form.username.errors.append(
                _("Too many failed attempts. Try again in %(minutes)d minutes.", minutes=blocked.minutes)
            )
            return render_template("auth/login.html", form=form), 429, {"Retry-After": str(blocked.minutes * 60)}
        if user is not None:
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(_("Wrong username or password."))
        status = 422
    elif form.is_submitted():
        status = 422
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Log out and return to the start page."""
    logout_user()
    return redirect(url_for("municipalities.index"))


@bp.route("/language", methods=["POST"])
def set_language():
    """Remember the chosen language in a cookie and, when logged in, in the profile."""
    code = request.form.get("lang", "")
    target = _safe_next(request.form.get("next"), "municipalities.index")
    if code not in current_app.config["LANGUAGES"]:
        return redirect(target)
    if current_user.is_authenticated:
        current_user.locale = code
        db.session.commit()
    response = redirect(target)
    response.set_cookie(LOCALE_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response
