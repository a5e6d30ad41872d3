"""A Kyrgyz aiyl aimak with a hearing in every state a page depends on, for the accessibility sweep.

Titles, names and villages use long Kyrgyz and Uzbek words, so that the sweep sees whether they fit a
360 px phone. `build_sweep_world` returns plain ids and tokens (no ORM objects), so that the world can
outlive the application context it was built in.
"""

import io
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from werkzeug.datastructures import FileStorage

from app.auth.models import User
from app.consultations.models import Consultation, ConsultationCount, ConsultationPriority
from app.demo_published import load_published_hearing
from app.extensions import db
from app.hearings import service as hearings
from app.hearings.models import AgendaItem, HearingText
from app.minutes import service as minutes
from app.organisations.models import Organisation
from app.proposals import service as proposals
from app.proposals.models import Proposal
from app.registration import service as registration
from app.registration.service import PersonDetails
from app.timeutil import utcnow
from app.voting import service as voting
from tests.helpers import Factory
from tests.results_fixtures import check_in_crowd, publish
from tests.world import PDF, add_user

# Long words as they occur: Kyrgyz and Uzbek are agglutinative, and a word of 30 letters is ordinary.
LONG_KY = "Жергиликтүүөзалдынчабашкаруунун 2027-жылдын бюджетинин долбоору боюнча коомдук угуу"
LONG_UZ = "Mahallafuqarolaryigʻinlarining 2027-yilgi mahalliy byudjet loyihasi boʻyicha ochiq eshituv"
VILLAGES = ("Кумбел", "Ак-Булак", "Жаңыжерабадкыштагынынтургундары", "Toshkentviloyatiningchekkamahallasi", "Кара-Ой")
WAG_NAME = "Ак-Булак айылынын аялдарынынкоомдукбирикмеси"
PROJECTS = (("Мектепкечейинкибилимберүүмекемесинин жылуулук системасын оңдоо", 600_000),
            ("Koʻchachiroqlarinitaʼmirlash va yoritish", 300_000),
            ("Балдар аянтчасы / Детская площадка", 250_000))  # fmt: skip
USERS = {"clerk": "sweep-clerk", "admin": "sweep-admin", "observer": "sweep-observer"}


@dataclass
class SweepWorld:
    """Every id, code and token the sweep's addresses are made of."""

    slug: str
    organisation_id: int
    tracking_token: str
    draft: int
    announced: int
    announced_code: str
    ticket: str
    online_proposal: int
    session: int
    consultation: int
    wag_proposal: int
    voting: int
    voting_code: str
    voter: str
    voted: str
    closed: int
    published: int
    published_code: str
    published_proposal: int
    ballots_published_code: str
    cancelled_code: str


def _municipality(make):
    municipality = make.municipality("KG", "kumbel", "Кумбел айыл аймагы", settlements=VILLAGES)
    for role, username in USERS.items():
        add_user(username, municipality, "admin" if role == "admin" else role)
    wag = Organisation(municipality_id=municipality.id, name=WAG_NAME, kind="wag", contact_email="wag@example.kg")
    db.session.add(wag)
    db.session.commit()
    return municipality, wag


def _clerk():
    return db.session.scalar(db.select(User).filter_by(username=USERS["clerk"]))


def _announced(make, municipality, wag, clerk):
    """Next fortnight's hearing: notice, agenda, a document, a ticket and an online proposal."""
    hearing = make.hearing(municipality, state="announced", days=14, kind="participatory_budget",
                           envelope=Decimal("1500000"), titles={"ky": LONG_KY, "ru": "Слушания по бюджету 2027",
                                                                "uz": LONG_UZ})  # fmt: skip
    hearing.texts[0].description = "Айыл өкмөтү бюджеттин долбоорун тааныштырат.\nСунуштарыңызды алып келиңиз."
    hearing.agenda = [AgendaItem(position=0, text="Бюджеттин долбоору / Проект бюджета"),
                      AgendaItem(position=1, text="Тургундардын сунуштары / Предложения жителей")]  # fmt: skip
    db.session.commit()
    hearings.store_document(hearing, "draft_budget", FileStorage(io.BytesIO(PDF), "бюджеттин-долбоору-2027.pdf"))
    band = municipality.age_bands[2].id
    ticket = registration.register(hearing, PersonDetails(gender="female", age_band_id=band, name="Айгүл Асанова",
                                                          settlement_id=municipality.settlements[2].id))  # fmt: skip
    proposal = proposals.submit(hearing, {"title": PROJECTS[0][0], "category": "education",
                                          "description": "Балдар бакчасында кыш мезгилинде суук.",
                                          "beneficiaries": ["women", "children"]}, organisation=wag)  # fmt: skip
    return hearing, ticket, proposal


def _session(make, municipality, wag, clerk):
    """Today's budget hearing in session: people at the door, a consultation, proposals, a question."""
    hearing = make.hearing(municipality, state="announced", days=0, titles={"ky": LONG_KY, "uz": LONG_UZ})
    check_in_crowd(hearing, clerk, [("female", 1, 4), ("female", 2, 3), ("male", 2, 4), ("undisclosed", 3, 1)])
    consultation = Consultation(hearing_id=hearing.id, held_on=(utcnow() - timedelta(days=3)).date(),
                                place="Ак-Булак мектеби", kind="wag_meeting", organisation=wag)  # fmt: skip
    consultation.counts = [ConsultationCount(gender="female", age_band_id=municipality.age_bands[2].id, count=14)]
    consultation.priorities.append(ConsultationPriority(text="Мектепке таза суу жеткирүү"))
    db.session.add(consultation)
    db.session.commit()
    wag_proposal = proposals.submit(hearing, {"title": PROJECTS[1][0], "category": "street_lighting",
                                              "beneficiaries": ["women"]}, organisation=wag)  # fmt: skip
    proposals.admit(wag_proposal, clerk)
    floor = proposals.submit(hearing, {"title": PROJECTS[2][0], "category": "other"}, source="floor", user=clerk)
    proposals.admit(floor, clerk)
    asker = minutes.Asker("female", municipality.age_bands[1].id)
    minutes.add_question(hearing, "Мектепке суу качан келет?", asker, "Айыл өкмөтүнүн башчысы", "Май айында.", clerk)
    voting.configure(hearing, {"rule": "majority"}, clerk)
    voting.record_hands(hearing, f"proposal:{wag_proposal.id}", {"female": (6, 1, 0), "male": (2, 2, 0)}, clerk)
    return hearing, consultation, wag_proposal


def _budget_round(make, municipality, clerk):
    """A participatory-budget hearing on its day with the costed, admitted PROJECTS; returns it and them."""
    hearing = make.hearing(municipality, state="announced", days=0, kind="participatory_budget",
                           envelope=Decimal("1000000"), titles={"ky": LONG_KY, "uz": LONG_UZ})  # fmt: skip
    projects = []
    for title, cost in PROJECTS:
        proposal = proposals.submit(hearing, {"title": title, "category": "other"})
        proposals.admit(proposal, clerk)
        proposals.set_cost(proposal, Decimal(cost), clerk)
        projects.append(proposal)
    return hearing, projects


def _voting(make, municipality, clerk):
    """A participatory-budget hearing whose phones are voting: one voter has voted, one has not yet."""
    hearing, projects = _budget_round(make, municipality, clerk)
    people = check_in_crowd(hearing, clerk, [("female", 1, 3), ("male", 2, 3)])
    voting.configure(hearing, {"ballot_kind": "knapsack", "rule": "greedy"}, clerk)
    voting.open_voting(hearing, clerk)
    voting.cast(hearing, people[1], {projects[0].id: 1, projects[2].id: 1})
    return hearing, people[0].token, people[1].token


def _closed(make, municipality, clerk):
    """Counted and closed, not yet published: the publish page asks for justifications."""
    hearing = make.hearing(municipality, state="announced", days=0, titles={"ky": LONG_KY, "uz": LONG_UZ})
    check_in_crowd(hearing, clerk, [("female", 1, 2), ("male", 2, 6)])
    proposal = proposals.submit(hearing, {"title": PROJECTS[2][0], "category": "other"}, source="floor", user=clerk)
    proposals.admit(proposal, clerk)
    voting.configure(hearing, {"rule": "majority"}, clerk)
    voting.open_voting(hearing, clerk)
    voting.record_hands(hearing, f"proposal:{proposal.id}", {"female": (2, 0, 0), "male": (5, 1, 0)}, clerk)
    voting.close_voting(hearing, clerk)
    return hearing


def _published_by_ballots(make, municipality, clerk):
    """A participatory-budget hearing counted by ballots and published (the results' votes section)."""
    hearing, projects = _budget_round(make, municipality, clerk)
    people = check_in_crowd(hearing, clerk)
    voting.configure(hearing, {"ballot_kind": "approval", "rule": "greedy"}, clerk)
    voting.open_voting(hearing, clerk)
    for n, person in enumerate(people):
        voting.cast(hearing, person, {projects[n % 3].id: 1, projects[(n + 1) % 3].id: 1})
    voting.close_voting(hearing, clerk)
    return publish(hearing)


def build_sweep_world(make: Factory) -> SweepWorld:
    """Build the municipality, its people and a hearing in each state; returns the addresses' parts."""
    municipality, wag = _municipality(make)
    clerk = _clerk()
    draft = make.hearing(municipality, state="draft", days=30, titles={"ky": LONG_KY})
    announced, ticket, online = _announced(make, municipality, wag, clerk)
    session, consultation, wag_proposal = _session(make, municipality, wag, clerk)
    voting_hearing, voter, voted = _voting(make, municipality, clerk)
    closed = _closed(make, municipality, clerk)
    published = load_published_hearing(municipality, clerk)
    published.texts.append(HearingText(locale="uz", title=LONG_UZ))
    db.session.commit()
    tracked = db.session.scalars(
        db.select(Proposal).filter_by(hearing_id=published.id).where(Proposal.organisation_id.is_not(None))
    ).one()
    tracked.organisation_id = wag.id  # the demo brings its own group; the sweep follows one group everywhere
    proposals.decide(tracked, "recommend", clerk)
    proposals.include(tracked, "Бюджеттин 2027-жылкы 4.2-беренеси", clerk)
    proposals.report_progress(tracked, 40, "Түтүктөр сатылып алынды.", clerk)
    ballots = _published_by_ballots(make, municipality, clerk)
    cancelled = make.hearing(municipality, state="announced", days=20, titles={"ky": LONG_KY})
    hearings.change_state(cancelled, "cancel", "Айыл өкмөтүнүн имараты оңдоодо / Здание на ремонте")
    return SweepWorld(
        slug=municipality.slug, organisation_id=wag.id, tracking_token=wag.tracking_token, draft=draft.id,
        announced=announced.id, announced_code=announced.public_code, ticket=ticket.token, online_proposal=online.id,
        session=session.id, consultation=consultation.id, wag_proposal=wag_proposal.id, voting=voting_hearing.id,
        voting_code=voting_hearing.public_code, voter=voter, voted=voted, closed=closed.id, published=published.id,
        published_code=published.public_code, published_proposal=tracked.id,
        ballots_published_code=ballots.public_code, cancelled_code=cancelled.public_code,
    )  # fmt: skip
