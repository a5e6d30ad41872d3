"""Two municipalities with one of every record, for the tests that try every route.

Kumbel holds the records the routes are tried on; Yangiyol has the same kinds of records, so that its
people and its tokens can be tried on Kumbel's addresses (and the other way round).
"""

import io
import re
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from werkzeug.datastructures import FileStorage

from app.auth.models import Membership, User
from app.consultations.models import Consultation, ConsultationPriority
from app.extensions import db
from app.hearings import service as hearings
from app.minutes.models import Question
from app.organisations.models import Organisation
from app.proposals.service import submit
from app.registration import service as registration
from app.registration.service import PersonDetails
from app.timeutil import utcnow
from tests.helpers import PASSWORD

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
USERS = {  # principal -> (username, municipality, role)
    "observer": ("kobserver", "kumbel", "observer"),
    "clerk": ("kclerk", "kumbel", "clerk"),
    "admin": ("kadmin", "kumbel", "admin"),
    "other_clerk": ("yclerk", "yangiyol", "clerk"),
    "other_admin": ("yadmin", "yangiyol", "admin"),
}


@dataclass
class Place:
    """One municipality's records: the ids and tokens that fill a route's arguments."""

    municipality: object
    hearing: object
    participant: object
    organisation: object
    proposal: object
    document: object
    check_in: object
    consultation: object
    priority: object
    question: object
    spare_membership: Membership
    spare_settlement: object

    def __post_init__(self):
        self.ids = {
            "slug": self.municipality.slug, "hearing_id": self.hearing.id, "code": self.hearing.public_code,
            "settlement_id": self.spare_settlement.id, "membership_id": self.spare_membership.id,
            "document_id": self.document.id, "action": "postpone", "filename": "css/app.css",
            "checkin_id": self.check_in.id, "proposal_id": self.proposal.id, "event_id": self.proposal.events[0].id,
            "organisation_id": self.organisation.id, "consultation_id": self.consultation.id,
            "priority_id": self.priority.id, "question_id": self.question.id, "ticket": self.participant.token,
        }  # fmt: skip

    def values(self) -> dict:
        """A route argument name -> value for this place's records (the tracking link read afresh: it rotates)."""
        token = db.session.scalar(db.select(Organisation.tracking_token).filter_by(id=self.ids["organisation_id"]))
        return {**self.ids, "organisation_token": token}


@cache
def _password_hash() -> str:
    """One argon2 hash of the test password: hashing it for each of the world's users would take seconds."""
    user = User()
    user.set_password(PASSWORD)
    return user.password_hash


def add_user(username: str, municipality, role: str) -> User:
    """A user with `role` in `municipality`, who logs in with the test password."""
    user = User(username=username, full_name=username.title(), password_hash=_password_hash())
    db.session.add(user)
    db.session.add(Membership(user=user, municipality_id=municipality.id, role=role))
    db.session.commit()
    return user


def build_place(make, slug: str, name: str, country: str, users: list[tuple[str, str]]) -> Place:
    """A municipality with its users, an in-session hearing and one of each record."""
    municipality = make.municipality(country, slug, name, settlements=(name, f"{name}-2"))
    for username, role in users:
        add_user(username, municipality, role)
    spare = add_user(f"{slug}-spare", municipality, "observer")
    hearing = make.hearing(municipality, state="announced")
    organisation = Organisation(municipality_id=municipality.id, name=f"{name} women", kind="wag")
    db.session.add(organisation)
    db.session.commit()
    participant = registration.register(hearing, PersonDetails(gender="female"))
    walk_in = registration.register(hearing, PersonDetails(gender="male"))
    clerk = add_user(f"{slug}-desk", municipality, "clerk")
    check_in = registration.check_in(hearing, walk_in, clerk).check_in  # opens the session
    proposal = submit(hearing, {"title": "Water pipe", "category": municipality.category_list[0]},
                      organisation=organisation)  # fmt: skip
    document = hearings.store_document(hearing, "draft_budget", FileStorage(io.BytesIO(PDF), "budget.pdf"))
    consultation = Consultation(hearing_id=hearing.id, held_on=(utcnow() - timedelta(days=3)).date(),
                                place="School", kind="wag_meeting", notes="")  # fmt: skip
    priority = ConsultationPriority(text="Street lights")
    consultation.priorities.append(priority)
    question = Question(hearing_id=hearing.id, text="When?", asker_gender="female")
    db.session.add_all([consultation, question])
    db.session.commit()
    return Place(
        municipality=municipality, hearing=hearing, participant=participant, organisation=organisation,
        proposal=proposal, document=document, check_in=check_in, consultation=consultation, priority=priority,
        question=question, spare_membership=db.session.scalar(db.select(Membership).filter_by(user_id=spare.id)),
        spare_settlement=municipality.settlements[1],
    )  # fmt: skip


def build_world(make) -> dict[str, Place]:
    """Kumbel (observer, clerk, admin) and Yangiyol (clerk, admin), each with one record of every kind."""
    return {
        "kumbel": build_place(make, "kumbel", "Kumbel", "KG",
                              [("kobserver", "observer"), ("kclerk", "clerk"), ("kadmin", "admin")]),
        "yangiyol": build_place(make, "yangiyol", "Yangiyol", "UZ", [("yclerk", "clerk"), ("yadmin", "admin")]),
    }  # fmt: skip


ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
TOKEN_ARGUMENTS = {"registration.ticket": "ticket", "voting.ballot": "ticket", "voting.ballot_total": "ticket",
                   "voting.receipt": "ticket", "proposals.track": "organisation_token",
                   "proposals.feed": "organisation_token", "proposals.track_submit": "organisation_token"}  # fmt: skip


def url_for_rule(rule, values: dict) -> str:
    """The rule's path with every argument filled from `values` (`token` by the route's kind of token)."""
    values = dict(values)
    values["token"] = values[TOKEN_ARGUMENTS.get(rule.endpoint, "ticket")]
    return ARGUMENT.sub(lambda m: str(values[m.group(1)]), rule.rule)
