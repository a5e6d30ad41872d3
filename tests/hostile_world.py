"""One municipality with a hearing in every state, and the pages whose forms the hostile-input tests fill."""

from dataclasses import dataclass

from app.extensions import db
from app.minutes.models import Question
from app.organisations.models import Organisation
from app.registration import service as registration
from app.voting import service as voting
from tests.results_fixtures import add_projects, ballot_hearing, check_in_crowd
from tests.world import add_user

SMALL_CROWD = [("female", 1, 3), ("male", 2, 2)]


@dataclass
class Hostile:
    """The records whose pages carry the forms."""

    municipality: object
    draft: object
    announced: object
    session: object
    voting: object
    published: object
    organisation: object
    ticket: str  # a registered ticket of the announced hearing
    voter: str  # a checked-in ticket of the hearing in voting (points)
    approver: str  # a checked-in ticket of the hearing in voting by approval
    session_code: str  # the short code of a registered ticket of the hearing in session
    proposal: object  # admitted, in the hearing in session
    question: object


def build(make) -> Hostile:
    """Kumbel with an admin `kadmin`, an organisation, and hearings from draft to published."""
    published, _ = ballot_hearing(make)
    kumbel = published.municipality
    clerk = add_user("kadmin", kumbel, "admin")
    organisation = Organisation(municipality_id=kumbel.id, name="Ak-Bulak women", kind="wag")
    db.session.add(organisation)
    db.session.commit()
    draft = make.hearing(kumbel, state="draft", days=30)
    announced = make.hearing(kumbel, state="announced", days=20)
    ticket = registration.register(announced, registration.PersonDetails(gender="female")).token
    session = make.hearing(kumbel, state="announced", days=0)
    proposal = add_projects(session, clerk, (("Bridge", 1000),))[0]
    check_in_crowd(session, clerk, SMALL_CROWD)
    session_code = registration.register(session, registration.PersonDetails(gender="male")).short_code
    question = Question(hearing_id=session.id, text="When?", asker_gender="female")
    db.session.add(question)
    in_vote, voter = voting_hearing(make, kumbel, clerk, {"ballot_kind": "cumulative", "points": 10})
    approval = voting_hearing(make, kumbel, clerk, {"ballot_kind": "approval"})[1]
    return Hostile(kumbel, draft, announced, session, in_vote, published, organisation, ticket, voter, approval,
                   session_code, proposal, question)  # fmt: skip


def voting_hearing(make, municipality, clerk, setup: dict):
    """A participatory budget hearing with voting open, and the ticket token of one checked-in voter."""
    hearing = make.hearing(municipality, state="announced", days=0, kind="participatory_budget", envelope=5000)
    add_projects(hearing, clerk, (("Lights", 2000), ("Benches", 1500), ("Well", 3000)))
    voter = check_in_crowd(hearing, clerk, SMALL_CROWD)[0].token
    voting.configure(hearing, {**setup, "rule": "greedy"}, clerk)
    voting.open_voting(hearing, clerk)
    return hearing, voter


def pages(w: Hostile) -> list[tuple[str, str]]:
    """(who, path) of every page with a form worth filling: the public ones and the clerk's."""
    track = f"/track/{w.organisation.tracking_token}"
    public = [
        f"/h/{w.announced.public_code}/register", f"/h/{w.announced.public_code}/propose",
        f"/h/{w.announced.public_code}/propose?ticket={w.ticket}", f"{track}/propose/{w.announced.public_code}",
        f"/t/{w.voter}/ballot", f"/t/{w.approver}/ballot", "/login", f"/m/{w.municipality.slug}/proposals",
    ]  # fmt: skip
    hearing, manage = "/manage/hearings/{}".format, f"/manage/{w.municipality.slug}"
    clerk = [
        f"{manage}/hearings/new", f"{hearing(w.draft.id)}/edit", hearing(w.draft.id),
        f"{hearing(w.session.id)}/desk", f"{hearing(w.session.id)}/questions",
        f"{hearing(w.announced.id)}/consultations", f"{hearing(w.session.id)}/voting",
        f"{hearing(w.voting.id)}/hands", f"{hearing(w.voting.id)}/paper", f"{hearing(w.published.id)}/corrections",
        f"{hearing(w.session.id)}/proposals/new", f"/manage/proposals/{w.proposal.id}",
        f"{hearing(w.session.id)}/minutes/edit", f"{manage}/settings", f"{manage}/age-bands", f"{manage}/settlements",
        f"{manage}/members", f"{manage}/organisations", f"{manage}/organisations/{w.organisation.id}",
    ]  # fmt: skip
    return [("public", path) for path in public] + [("clerk", path) for path in clerk]
