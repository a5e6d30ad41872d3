"""Static files: addresses that carry a hash of the content, long caching, and bodies compressed only once.

Every `url_for("static", filename=...)` gets `v=<first 12 hex digits of the file's SHA-256>`. A request that
names the file's current hash may be kept by the browser for a year (`immutable`): a changed file has a new
address. Without it, or with an old hash, the browser must ask again each time (`no-cache`; the ETag makes
that a 304). Text files (CSS, scripts, SVG, JSON) are compressed with brotli and gzip at their best levels the
first time each is asked for, and kept in memory; dynamic responses are compressed by Flask-Compress.
A file is read again when its size or modification time changes, so `flask run` shows an edited file at once.
"""

import gzip
import hashlib
import mimetypes
import os
from dataclasses import dataclass, field

import brotli
from flask import Flask, abort, current_app, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.security import safe_join

VERSION_ARG = "v"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
COMPRESSIBLE = {"text/css", "text/javascript", "application/javascript", "application/json", "image/svg+xml"}
MAX_IN_MEMORY = 1024 * 1024
ENCODERS = {  # preference order when the browser accepts both
    "br": lambda data: brotli.compress(data, quality=11),
    "gzip": lambda data: gzip.compress(data, compresslevel=9, mtime=0),
}


@dataclass
class Asset:
    """One static file as last seen on disk: its hash and, when it is worth compressing, its bodies."""

    stamp: tuple[int, int]  # modification time (ns) and size
    version: str
    mimetype: str
    bodies: dict[str, bytes] = field(default_factory=dict)  # "identity", "br", "gzip"; empty: served from disk

    def body(self, encoding: str) -> bytes:
        """The file in `encoding`, compressed on first use."""
        if encoding not in self.bodies:
            self.bodies[encoding] = ENCODERS[encoding](self.bodies["identity"])
        return self.bodies[encoding]


_assets: dict[str, Asset] = {}


def _read(path: str, stamp: tuple[int, int]) -> Asset:
    mimetype = mimetypes.guess_type(path)[0] or "application/octet-stream"
    digest = hashlib.sha256()
    bodies = {}
    with open(path, "rb") as file:
        if mimetype in COMPRESSIBLE and stamp[1] <= MAX_IN_MEMORY:
            bodies["identity"] = file.read()
            digest.update(bodies["identity"])
        else:
            for chunk in iter(lambda: file.read(1 << 16), b""):
                digest.update(chunk)
    return Asset(stamp, digest.hexdigest()[:12], mimetype, bodies)


def find(filename: str) -> Asset | None:
    """The static file `filename` (a path under static/), or None when there is no such file."""
    path = safe_join(current_app.static_folder, filename)
    if path is None:
        return None
    try:
        status = os.stat(path)
    except OSError:
        return None
    if not os.path.isfile(path):
        return None
    stamp = (status.st_mtime_ns, status.st_size)
    asset = _assets.get(path)
    if asset is None or asset.stamp != stamp:
        asset = _assets[path] = _read(path, stamp)
    return asset


def add_version(endpoint: str, values: dict) -> None:
    """`url_for("static", ...)` carries the file's hash (unless the caller names `v` itself)."""
    if endpoint != "static" or VERSION_ARG in values or "filename" not in values:
        return
    asset = find(values["filename"])
    if asset is not None:
        values[VERSION_ARG] = asset.version


def _encoding(size: int) -> str:
    """The best encoding the browser accepts for a body of `size` bytes; small ones are not worth it."""
    if size < current_app.config["COMPRESS_MIN_SIZE"]:
        return "identity"
    return request.accept_encodings.best_match(tuple(ENCODERS)) or "identity"


def send_static(filename: str):
    """A static file: compressed from memory when the browser accepts it, cached for a year when hashed."""
    asset = find(filename)
    if asset is None:
        abort(404)
    if asset.bodies:
        encoding = _encoding(len(asset.bodies["identity"]))
        response = current_app.response_class(asset.body(encoding), mimetype=asset.mimetype)
        if encoding != "identity":
            response.headers["Content-Encoding"] = encoding
        response.vary.add("Accept-Encoding")
        response.set_etag(f"{asset.version}-{encoding}")  # each encoding is its own representation
        response.make_conditional(request)
    else:
        response = current_app.send_static_file(filename)  # fonts, licences: from disk, as Flask does
    current = request.args.get(VERSION_ARG) == asset.version
    response.headers["Cache-Control"] = IMMUTABLE if current else REVALIDATE
    return response


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, left out of static files: they are the same for everyone.

    Flask-Login looks at the session after every request, and Flask then adds `Vary: Cookie`, which would make
    a browser ask again for a year-long cached file whenever the session cookie changes (a new language, a
    login). A static request never changes the session, so nothing is lost by not saving it.
    """

    def save_session(self, app, session, response) -> None:
        if request.endpoint != "static":
            super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    """Hash every static address and serve static files through `send_static`."""
    app.url_defaults(add_version)
    app.view_functions["static"] = send_static
    app.session_interface = SessionInterface()
