"""Security headers, https behind a reverse proxy, rate limits and the page that says "wait".

Limits use Flask-Limiter: its storage (RATELIMIT_STORAGE_URI) is shared by every gunicorn worker when it is
Redis, and routes declare their limit with `@limiter.limit(configured("RATELIMIT_..."))`, so that figures live
in the configuration. Guessing ticket codes is counted here too (`check_ticket_guesses`, `count_ticket_miss`):
only unknown codes count, so a busy desk that scans valid tickets is never slowed down.
"""

import logging
import re
import secrets
import time
from collections.abc import Callable
from functools import lru_cache
from math import ceil

from flask import Flask, current_app, g, has_request_context, render_template, request
from flask_babel import ngettext
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user
from limits import parse_many
from werkzeug.exceptions import TooManyRequests
from werkzeug.middleware.proxy_fix import ProxyFix

from app import ratelimit_store  # noqa: F401 (registers the swept-memory:// scheme)

log = logging.getLogger(__name__)
limiter = Limiter(key_func=get_remote_address)

# Scripts only from this site (no inline script, no eval); blob: workers for the vendored QR scanner;
# data: images for the browser's own QR rendering; nothing from another host, no framing, no plugins.
CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data: blob:",
    "media-src": "'self' blob:",
    "worker-src": "'self' blob:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "object-src": "'none'",
}
HTMX_TARGET = re.compile(r"[A-Za-z][\w-]{0,63}")
TICKET_MISSES = "ticket-misses"


def configured(name: str) -> Callable[[], str]:
    """A limit read from the configuration at request time (so tests and instance/config.py can change it)."""
    return lambda: current_app.config[name]


def ticket_key() -> str:
    """Rate-limit key of a ballot: the ticket's token in the URL."""
    return "ticket:" + (request.view_args or {}).get("token", "")


def csp_nonce() -> str:
    """A per-response nonce for the one page that must carry its own <style> (the standalone summary)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def content_security_policy(nonce: str | None = None) -> str:
    """The site's Content-Security-Policy; a nonce admits the inline <style> that carries it."""
    policy = dict(CSP)
    if nonce:
        policy["style-src"] += f" 'nonce-{nonce}'"
    return "; ".join(f"{name} {value}" for name, value in policy.items())


def add_security_headers(response):
    """Headers on every response; a route's own stricter header (documents: sandbox) is kept."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(g.get("csp_nonce")))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    # A token in the URL is the key to a ticket, a ballot or a tracking page: never send it on in Referer.
    secret_url = "token" in (request.view_args or {})
    headers.setdefault("Referrer-Policy", "no-referrer" if secret_url else "strict-origin-when-cross-origin")
    headers.setdefault("Permissions-Policy", "camera=(self), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


# -- guessing ticket codes -----------------------------------------------------------------------


class TooManyGuesses(TooManyRequests):
    """Too many unknown ticket codes from one clerk: every lookup waits `retry_after` seconds."""

    def __init__(self, retry_after: int):
        super().__init__()
        self.retry_after = retry_after


def _guard_active() -> bool:
    return has_request_context() and limiter.enabled and limiter.initialized


def _miss_key() -> str:
    """Per user when logged in (a stolen session counts as its owner), else per address."""
    if current_user.is_authenticated:
        return f"user:{current_user.get_id()}"
    return f"address:{get_remote_address()}"


@lru_cache(maxsize=8)
def _parsed(figures: str) -> tuple:
    """The limits of a figure like "30 per 10 minutes;200 per day", parsed once (the desk asks on every scan)."""
    return tuple(parse_many(figures))


def _miss_args() -> list[str]:
    return [current_app.config.get("RATELIMIT_KEY_PREFIX", ""), _miss_key(), TICKET_MISSES]


def check_ticket_guesses() -> None:
    """Refuse every ticket lookup, even of a valid code, once the unknown codes are used up."""
    if not _guard_active():
        return
    args = _miss_args()
    try:
        for item in _parsed(current_app.config["RATELIMIT_TICKET_MISSES"]):
            if not limiter.limiter.test(item, *args):
                reset_at, _ = limiter.limiter.get_window_stats(item, *args)
                raise TooManyGuesses(max(1, ceil(reset_at - time.time())))
    except TooManyGuesses:
        raise
    except Exception:  # an unreachable Redis must not stop the check-in desk
        log.exception("ticket guess limit unavailable")


def count_ticket_miss() -> None:
    """Count one unknown ticket code against the current clerk."""
    if not _guard_active():
        return
    args = _miss_args()
    try:
        for item in _parsed(current_app.config["RATELIMIT_TICKET_MISSES"]):
            limiter.limiter.hit(item, *args)
    except Exception:
        log.exception("ticket guess limit unavailable")


# -- the 429 answer ------------------------------------------------------------------------------


def _retry_after(error) -> int:
    seconds = getattr(error, "retry_after", None)
    if seconds is None and limiter.initialized and limiter.current_limit is not None:
        seconds = limiter.current_limit.reset_at - time.time()
    return max(1, ceil(seconds if seconds is not None else 60))


def too_many_requests(error):
    """A translated "wait N minutes" with Retry-After: a page, or for htmx a fragment in place of the target."""
    seconds = _retry_after(error)
    minutes = max(1, ceil(seconds / 60))
    message = ngettext("Too many attempts. Please wait %(num)d minute and try again.",
                       "Too many attempts. Please wait %(num)d minutes and try again.", minutes)  # fmt: skip
    headers = {"Retry-After": str(seconds)}
    if request.headers.get("HX-Request") and not request.headers.get("HX-Boosted"):
        target = request.headers.get("HX-Target", "")
        if HTMX_TARGET.fullmatch(target):  # keep the target's id, so that the next request finds it again
            headers.update({"HX-Retarget": f"#{target}", "HX-Reswap": "outerHTML"})
        else:
            target = ""
            headers.update({"HX-Retarget": "#main", "HX-Reswap": "afterbegin"})
        return render_template("errors/_too_many.html", message=message, target=target), 429, headers
    return render_template("errors/error.html", status=429, message=message), 429, headers


def init_app(app: Flask) -> None:
    """Trust the configured proxies, start the limiter, add the headers and the 429 page."""
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies)
    limiter.init_app(app)
    app.add_template_global(csp_nonce)
    app.after_request(add_security_headers)
    app.register_error_handler(TooManyRequests, too_many_requests)
