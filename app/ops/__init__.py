"""Operations: a health check for load balancers, the benchmark's trivial route, and the backup and audit commands."""

from flask import Blueprint

bp = Blueprint("ops", __name__, cli_group=None)  # its commands sit at the top level: `flask backup`, `flask audit`


@bp.route("/healthz")
def healthz():
    """Answer `ok` without touching the database: the cheapest page the app serves."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


from app.ops import cli  # noqa: E402, F401  (registers the commands on bp.cli)
