"""Configuration: defaults, then instance/config.py, then the environment."""

import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LANGUAGES = ("en", "ky", "ru", "uz")


class Config:
    """Settings for development and production; the database defaults to SQLite in instance/."""

    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-not-secret")
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
