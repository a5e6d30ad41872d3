"""Application factory: extensions, blueprints, CLI and error pages; nothing else."""

import importlib
import importlib.util
import os
import pkgutil

from flask import Flask
from werkzeug.routing import IntegerConverter

from app.config import Config
from app.database import MAX_INTEGER
from app.extensions import babel, compress, csrf, db, htmx, login_manager, migrate


def create_app(config: object | dict | None = None) -> Flask:
    """Build the app: defaults, then instance/config.py, then `config` (a class or a mapping)."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(Config)
    app.config.from_pyfile("config.py", silent=True)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        path = os.path.join(app.instance_path, "hearings.sqlite")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    app.config.setdefault("UPLOAD_FOLDER", os.path.join(app.instance_path, "uploads"))
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # A file on this machine cannot drop the connection: no "SELECT 1" before every request's first query.
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**app.config["SQLALCHEMY_ENGINE_OPTIONS"], "pool_pre_ping": False}
    _check_production_secret(app)
    app.url_map.converters["int"] = DatabaseInteger  # before any route is added

    from app import assets, database, errors, i18n, security

    db.init_app(app)
    database.configure_engine(app)
    migrations = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations")
    migrate.init_app(app, db, render_as_batch=True, directory=migrations)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    csrf.init_app(app)
    htmx.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    compress.init_app(app)
    assets.init_app(app)
    _register_blueprints(app)

    from app import cli

    cli.init_app(app)
    return app


class DatabaseInteger(IntegerConverter):
    """An <int:...> route argument that fits an integer column; a longer number is not found instead of a 500."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_INTEGER)
        super().__init__(url_map, *args, **kwargs)


def _register_blueprints(app: Flask) -> None:
    """Import the models and routes of every domain package under app/ and register its `bp`."""
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not module.ispkg or module.name == "rules":
            continue
        package = importlib.import_module(f"{__name__}.{module.name}")
        blueprint = getattr(package, "bp", None)
        if blueprint is None:
            continue
        for part in ("models", "routes"):  # models first, so that every table is known to Alembic
            if importlib.util.find_spec(f"{package.__name__}.{part}") is not None:
                importlib.import_module(f"{package.__name__}.{part}")
        app.register_blueprint(blueprint)


def _check_production_secret(app: Flask) -> None:
    """Refuse to serve production with the development secret key, or with the debugger on."""
    if app.config.get("HEARINGS_ENV") != "production" and os.environ.get("HEARINGS_ENV") != "production":
        return
    if app.config.get("SECRET_KEY") in (None, "", "dev-not-secret"):
        raise RuntimeError("Set SECRET_KEY in the environment or instance/config.py")
    if app.debug:
        raise RuntimeError("FLASK_DEBUG must be off in production")
