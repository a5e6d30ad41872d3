"""A real pabulib election imported into the app gives the officially selected projects, and the app's
own .pb export recounts to the same winners."""

import os

import pytest

from app.extensions import db
from app.hearings.models import Hearing
from app.proposals.models import Proposal
from app.rules.outcome import election_outcome
from app.rules.pabulib import load_pb, read_pb
from app.voting.models import Ballot, Outcome
from app.voting.pabulib_io import export_pb

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "..", "shared", "data", "pabulib")
FILES = ["Poland_Swiecie_2023.pb", "Netherlands_Assen_2024.pb", "Poland_Katowice_2020_Murcki.pb"]


@pytest.mark.parametrize("name", FILES)
def test_imported_election_selects_what_the_organisers_selected(app, make, name):
    municipality = make.municipality()
    path = os.path.join(DATA, name)
    result = app.test_cli_runner().invoke(args=["pb", "import", path, "--municipality", str(municipality.id)])
    assert result.exit_code == 0, result.output
    election = load_pb(path)
    hearing = db.session.scalars(db.select(Hearing)).one()
    assert hearing.state == "closed"
    assert db.session.scalar(db.select(db.func.count(Ballot.id))) == len(election.voters)
    pabulib_id = {p.id: p.description.removeprefix("pabulib project ")
                  for p in db.session.scalars(db.select(Proposal))}  # fmt: skip
    outcome = db.session.scalars(db.select(Outcome)).one()
    official = {p.id for p in election.projects.values() if p.selected == 1}
    assert {pabulib_id[p] for p in outcome.selected} == official
    female = sum(1 for v in election.voters if (v.sex or "").upper() == "F")
    assert outcome.breakdown["voters_by_gender"]["female"] == female

    exported = read_pb(export_pb(hearing))  # anyone can recount from the published file
    assert {int(p) for p in election_outcome(exported).selected} == set(outcome.selected)
    assert sum(1 for v in exported.voters if v.sex == "F") == female


def test_export_of_an_unknown_hearing_fails_cleanly(app):
    result = app.test_cli_runner().invoke(args=["pb", "export", "9999"])
    assert result.exit_code != 0 and "no hearing" in result.output


def test_clerk_downloads_the_ballots_as_a_pb_file(app, client, make):
    from tests.helpers import login

    municipality = make.municipality()
    make.user("aigul", municipality, "observer")
    path = os.path.join(DATA, FILES[0])
    app.test_cli_runner().invoke(args=["pb", "import", path, "--municipality", str(municipality.id)])
    hearing = db.session.scalars(db.select(Hearing)).one()
    login(client, "aigul")
    response = client.get(f"/manage/hearings/{hearing.id}/ballots.pb")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    election = read_pb(response.get_data(as_text=True))
    assert len(election.voters) == len(load_pb(path).voters)
