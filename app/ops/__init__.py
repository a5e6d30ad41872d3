"""Operations: a health check for load balancers and the benchmark's trivial route."""

from flask import Blueprint

bp = Blueprint("ops", __name__)


@bp.route("/healthz")
def healthz():
    """Answer `ok` without touching the database: the cheapest page the app serves."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
