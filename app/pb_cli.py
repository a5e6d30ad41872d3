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
