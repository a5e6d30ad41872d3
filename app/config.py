"""Configuration: defaults, then instance/config.py, then the environment."""

import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LANGUAGES = ("en", "ky", "ru", "uz")
PRODUCTION = os.environ.get("HEARINGS_ENV") == "production"


def _flag(name: str, default: bool) -> bool:
    """A yes/no setting from the environment: "1" is yes, "0" is no, unset is `default`."""
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in ("1", "true", "yes", "on")


class Config:
    """Settings for development and production; the database defaults to SQLite in instance/."""

    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-not-secret")
    HEARINGS_ENV = os.environ.get("HEARINGS_ENV", "development")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")  # None: SQLite file in instance/
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    LANGUAGES = LANGUAGES
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    BABEL_TRANSLATION_DIRECTORIES = os.path.join(ROOT, "translations")
    # Uploads (draft budgets, citizens' budgets): PDF and images only.
    UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024
    # Login throttling: this many failures per account or address within the window.
    LOGIN_MAX_FAILURES = 5
    LOGIN_WINDOW_MINUTES = 15
    WTF_CSRF_TIME_LIMIT = None  # a clerk's form may stay open through a whole hearing
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    # Cookies only over https: on in production (behind nginx or Caddy with TLS), SECURE_COOKIES=0 turns it off.
    SESSION_COOKIE_SECURE = REMEMBER_COOKIE_SECURE = _flag("SECURE_COOKIES", PRODUCTION)
    # How many reverse proxies in front of the app set X-Forwarded-For/-Proto/-Host (0: none, trust nothing).
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    # Rate limits (Flask-Limiter). swept-memory:// (app/ratelimit_store.py) counts per worker process; several
    # gunicorn workers should share redis://127.0.0.1:6379 so that a limit is one limit.
    # Figures: "N per minute", several joined by ";".
    RATELIMIT_ENABLED = _flag("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "swept-memory://")
    RATELIMIT_STRATEGY = "moving-window"
    RATELIMIT_KEY_PREFIX = "hearings"
    RATELIMIT_SWALLOW_ERRORS = True  # an unreachable Redis lets requests through rather than failing them
    # Public registrations sent from one address; ballots sent for one ticket (each replaces the last);
    # unknown ticket codes typed by one clerk (a known code always passes until this is used up).
    RATELIMIT_REGISTRATION = os.environ.get("RATELIMIT_REGISTRATION", "10 per minute;100 per hour")
    RATELIMIT_BALLOT = os.environ.get("RATELIMIT_BALLOT", "10 per minute")
    RATELIMIT_TICKET_MISSES = os.environ.get("RATELIMIT_TICKET_MISSES", "30 per 10 minutes;200 per day")
    # Compression of dynamic responses (Flask-Compress): brotli when the browser takes it, else gzip, at fast
    # levels since every page and fragment pays them; static files are compressed once, at the best levels
    # (app/assets.py). Small bodies are not worth it; send_file responses (documents, photos, PDFs) never are.
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_BR_LEVEL = 4
    COMPRESS_LEVEL = 6
    COMPRESS_MIN_SIZE = 500
    COMPRESS_STREAMS = False
    COMPRESS_MIMETYPES = ["text/html", "text/css", "text/javascript", "application/javascript", "application/json",
                          "image/svg+xml", "text/csv", "text/plain", "text/calendar", "application/atom+xml"]
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL")  # printed on posters when set
    # Outgoing e-mail (notifications to organisations and proposers), sent from the outbox.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS") == "1"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_FROM = os.environ.get("MAIL_FROM", "hearings@localhost")
    MAIL_TIMEOUT = 10


class TestConfig(Config):
    """Settings for the test suite; the database comes from the test fixture."""

    TESTING = True
    SECRET_KEY = "test-secret"
    LOGIN_MAX_FAILURES = 5
    SESSION_COOKIE_SECURE = REMEMBER_COOKIE_SECURE = False  # the test client and live server speak http
    TRUSTED_PROXIES = 0
    # Limits stay on but out of reach; tests/test_rate_limits.py sets real figures.
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "swept-memory://"
    RATELIMIT_REGISTRATION = RATELIMIT_BALLOT = RATELIMIT_TICKET_MISSES = "100000 per hour"
