"""The `flask pb` commands: recount a participatory-budgeting election stored in the pabulib format."""

import click
from flask import Flask

from app.rules.outcome import RULES, election_outcome
from app.rules.pabulib import load_pb


def init_app(app: Flask) -> None:
    """Register the `pb` command group."""

    @app.cli.group()
    def pb():
        """Participatory-budgeting files in the pabulib format (https://pabulib.org/format)."""

    @pb.command()
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    @click.option("--rule", type=click.Choice(["auto", *RULES]), default="auto", show_default=True,
                  help="auto: the rule named in the file's META.")  # fmt: skip
    @click.option("--fill", is_flag=True, help="mes: fund what is left by score, greedily.")
    @click.option("--compare", is_flag=True, help="mes: equalshares.net's comparison step with greedy.")
    def outcome(path, rule, fill, compare):
        """Print the ids of the projects RULE selects in the election in PATH, one per line."""
        options = {"fill": True} if fill else {}
        if compare:
            options["compare"] = True
        try:
            result = election_outcome(load_pb(path), rule, **options)
        except ValueError as error:
            raise click.ClickException(str(error)) from error
        for project in result.selected:
            click.echo(project)

    @pb.command("import")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    @click.option("--municipality", "municipality_id", type=int, required=True, help="The municipality's id.")
    def import_(path, municipality_id):
        """Create a closed participatory-budget hearing with the projects and ballots of PATH."""
        from app.extensions import db
        from app.municipalities.models import Municipality
        from app.voting.pabulib_io import import_election

        municipality = db.session.get(Municipality, municipality_id)
        if municipality is None:
            raise click.ClickException(f"no municipality with id {municipality_id}")
        try:
            hearing = import_election(load_pb(path), municipality)
        except ValueError as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"Imported as hearing {hearing.id} (/h/{hearing.public_code}).")

    @pb.command("export")
    @click.argument("hearing_id", type=int)
    def export(hearing_id):
        """Print a hearing's candidates and ballots as a .pb file."""
        from app.extensions import db
        from app.hearings.models import Hearing
        from app.voting.pabulib_io import export_pb

        hearing = db.session.get(Hearing, hearing_id)
        if hearing is None:
            raise click.ClickException(f"no hearing with id {hearing_id}")
        click.echo(export_pb(hearing), nl=False)
