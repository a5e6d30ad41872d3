"""Command-line tools: translations, demo data, users and municipalities."""

import os
import subprocess
import sys

import click
from flask import Flask

from app.extensions import db

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TRANSLATIONS = os.path.join(ROOT, "translations")
POT = os.path.join(ROOT, "messages.pot")


def _pybabel(*args: str) -> None:
    command = [os.path.join(os.path.dirname(sys.executable), "pybabel"), *args]
    if subprocess.call(command, cwd=ROOT) != 0:
        raise click.ClickException("pybabel " + args[0] + " failed")


def init_app(app: Flask) -> None:
    """Register the `translate`, `seed-demo`, `create-user`, `create-municipality`, `pb` ... commands."""
    from app import pb_cli

    pb_cli.init_app(app)

    @app.cli.group()
    def translate():
        """Extract, update and compile the message catalogs."""

    @translate.command()
    def update():
        """Extract strings from the source and merge them into every catalog."""
        _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "--ignore-dirs", ".* __pycache__", "-o", POT, ".")
        _pybabel("update", "-i", POT, "-d", TRANSLATIONS, "--no-fuzzy-matching")
        os.remove(POT)

    @translate.command()
    @click.argument("lang")
    def init(lang):
        """Start a catalog for a new language."""
        _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "--ignore-dirs", ".* __pycache__", "-o", POT, ".")
        _pybabel("init", "-i", POT, "-d", TRANSLATIONS, "-l", lang)
        os.remove(POT)

    @translate.command()
    def compile():
        """Compile the catalogs to .mo files."""
        _pybabel("compile", "-d", TRANSLATIONS)

    @app.cli.command("seed-demo")
    @click.option("--if-empty", is_flag=True, help="Only when the database has no municipality.")
    def seed_demo(if_empty):
        """Load the demo municipalities, people and an announced hearing."""
        from app.demo import DEMO_PASSWORD, load_demo
        from app.municipalities.models import Municipality

        if if_empty and db.session.scalar(db.select(Municipality.id).limit(1)) is not None:
            click.echo("Demo login: clerk-kumbel / " + DEMO_PASSWORD + " (database already has data)")
            return
        load_demo()
        click.echo("Demo data loaded.")
        click.echo("Demo login: clerk-kumbel / " + DEMO_PASSWORD + "  (admin: admin-kumbel)")
        click.echo("Uzbek district: clerk-yangiyol / " + DEMO_PASSWORD)

    @app.cli.command("erase-personal-data")
    def erase_personal_data():
        """Erase names and phones of participants once the retention period after publication is over."""
        from app.registration.service import erase_personal_data as erase

        click.echo(f"Erased the name and phone of {erase()} participants.")

    @app.cli.command("deliver-mail")
    @click.option("--loop", "interval", type=int, default=0, help="Keep delivering every N seconds.")
    def deliver_mail(interval):
        """Send the queued notifications by SMTP; failures are retried later."""
        import time

        from app.notifications.service import deliver_due

        while True:
            sent, failed = deliver_due()
            click.echo(f"Sent {sent}, failed {failed}.")
            if not interval:
                return
            time.sleep(interval)

    @app.cli.command("create-municipality")
    @click.argument("country", type=click.Choice(["KG", "UZ"]))
    @click.argument("slug")
    @click.argument("name")
    @click.option("--region", default="")
    def create_municipality(country, slug, name, region):
        """Create a municipality from its country's preset."""
        from app.municipalities.models import Municipality

        db.session.add(Municipality.from_preset(country, slug, name, region))
        db.session.commit()
        click.echo(f"Created {name} ({slug}).")

    @app.cli.command("create-user")
    @click.argument("username")
    @click.argument("municipality_slug")
    @click.argument("role", type=click.Choice(["admin", "clerk", "observer"]))
    @click.password_option()
    def create_user(username, municipality_slug, role, password):
        """Create a user (or reuse one) and give them a role in a municipality."""
        from app.municipalities import service
        from app.municipalities.models import Municipality

        municipality = db.one_or_404(db.select(Municipality).filter_by(slug=municipality_slug))
        service.set_member(municipality, username, "", password, role)
        click.echo(f"{username} is {role} of {municipality.name}.")
