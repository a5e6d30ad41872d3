"""Proposal lifecycle: every legal and illegal transition, required reasons, answers, merges."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from flask_babel import force_locale

from app.audit.models import AuditEvent
from app.extensions import db
from app.notifications.models import OutboxMessage
from app.organisations.models import Organisation
from app.proposals import service
from app.proposals.labels import CATEGORIES
from app.proposals.models import MOVES, Proposal, ProposalEvent
from app.registration import service as registration
from app.timeutil import utc_to_local


@pytest.fixture
def world(make):
    kumbel = make.municipality()
    clerk = make.user("aigul", kumbel, "clerk")
    hearing = make.hearing(kumbel, state="announced")
    wag = Organisation(municipality_id=kumbel.id, name="Ak-Bulak women", kind="wag", contact_email="wag@example.kg")
    db.session.add(wag)
    db.session.commit()
    return {"municipality": kumbel, "clerk": clerk, "hearing": hearing, "wag": wag}


def submit(world, **overrides):
    data = {"title": "Water pipe for Ak-Bulak", "category": "water_supply", "beneficiaries": ["women", "children"],
            "estimated_cost": Decimal("250000")} | overrides  # fmt: skip
    return service.submit(world["hearing"], data, organisation=world["wag"])


def test_submission_sets_the_answer_deadline_and_opens_the_timeline(world):
    proposal = submit(world)
    hearing_day = utc_to_local(world["hearing"].starts_at, "Asia/Bishkek").date()
    assert proposal.answer_due == hearing_day + timedelta(days=30)
    assert proposal.status == "submitted" and proposal.benefits_women
    assert [e.kind for e in proposal.events] == ["submitted"]
    assert db.session.scalar(db.select(OutboxMessage.recipient)) == "wag@example.kg"


def test_proposer_gender_and_age_come_from_the_ticket(world):
    band = world["municipality"].age_bands[1]
    ticket = registration.register(world["hearing"], registration.PersonDetails(gender="female", age_band_id=band.id))
    proposal = service.submit(world["hearing"], {"title": "Lights", "category": "street_lighting"}, participant=ticket)
    assert (proposal.proposer_gender, proposal.proposer_age_band_id) == ("female", band.id)


def test_the_whole_happy_path_is_on_the_public_timeline(world):
    clerk, proposal = world["clerk"], submit(world)
    assert service.admit(proposal, clerk) is True
    service.set_cost(proposal, Decimal("300000"), clerk)
    service.record_answer(proposal, "Admitted for the vote.", clerk)
    service.decide(proposal, "select", clerk)
    service.include(proposal, "0451 Water supply", clerk)
    service.report_progress(proposal, 40, "Pipes bought", clerk)
    service.report_progress(proposal, 80, "Trench dug", clerk)
    service.complete(proposal, "Water flows", clerk)
    kinds = db.session.scalars(db.select(ProposalEvent.kind).order_by(ProposalEvent.id)).all()
    assert kinds == ["submitted", "admitted", "cost_set", "answered", "selected", "included", "progress", "progress",
                     "completed"]  # fmt: skip
    assert (proposal.status, proposal.progress_percent, proposal.budget_line) == ("completed", 100, "0451 Water supply")
    assert proposal.is_answered
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 9
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id))) == 9


@pytest.mark.parametrize("action, start", [(a, s) for a, starts in MOVES.items() for s in ("submitted", "completed")
                                           if s not in starts])  # fmt: skip
def test_illegal_moves_are_refused_and_change_nothing(world, action, start):
    proposal = submit(world)
    proposal.status = start
    db.session.commit()
    calls = {
        "admit": lambda: service.admit(proposal, world["clerk"]),
        "not_admit": lambda: service.not_admit(proposal, "reason", world["clerk"]),
        "select": lambda: service.decide(proposal, "select", world["clerk"]),
        "not_select": lambda: service.decide(proposal, "not_select", world["clerk"]),
        "recommend": lambda: service.decide(proposal, "recommend", world["clerk"]),
        "reject": lambda: service.decide(proposal, "reject", world["clerk"], "reason"),
        "include": lambda: service.include(proposal, "line", world["clerk"]),
        "progress": lambda: service.report_progress(proposal, 10, "", world["clerk"]),
        "complete": lambda: service.complete(proposal, "", world["clerk"]),
        "drop": lambda: service.drop(proposal, "reason", world["clerk"]),
        "merge": lambda: service.merge(proposal, submit(world, title="Other"), world["clerk"]),
    }
    events_before = db.session.scalar(db.select(db.func.count(ProposalEvent.id)))
    with pytest.raises(service.ProposalError):
        calls[action]()
    db.session.rollback()
    assert db.session.scalar(db.select(Proposal.status).where(Proposal.id == proposal.id)) == start
    assert db.session.scalar(db.select(db.func.count(ProposalEvent.id))) <= events_before + 1  # + the merge target


@pytest.mark.parametrize("call", [
    lambda p, c: service.not_admit(p, "  ", c),
    lambda p, c: (service.admit(p, c), service.decide(p, "reject", c, "")),
    lambda p, c: (service.admit(p, c), service.decide(p, "select", c), service.drop(p, "", c)),
])  # fmt: skip
def test_refusals_need_a_public_reason(world, call):
    proposal = submit(world)
    with pytest.raises(service.ProposalError) as refused:
        call(proposal, world["clerk"])
    assert "reason" in str(refused.value.message).lower()


def test_not_admitted_reason_is_the_official_answer(world):
    proposal = submit(world)
    service.not_admit(proposal, "Outside the municipality's competence", world["clerk"])
    assert proposal.status == "not_admitted" and proposal.is_answered
    assert proposal.answer == proposal.status_reason == "Outside the municipality's competence"


def test_excluded_category_is_not_admitted_with_that_reason(app, make):
    yangiyol = make.municipality("UZ", "yangiyol", "Yangiyoʻl", settlements=("Navbahor",))
    clerk = make.user("jasur", yangiyol, "clerk")
    hearing = make.hearing(yangiyol, titles={"uz": "Tashabbusli budjet"})
    proposal = service.submit(hearing, {"title": "Car for the khokim", "category": "vehicles"})
    assert service.admit(proposal, clerk) is False
    assert proposal.status == "not_admitted" and proposal.is_answered
    with app.test_request_context(), force_locale("uz"):
        label = str(CATEGORIES["vehicles"])
    assert f"“{label}”" in proposal.status_reason


def test_merging_keeps_both_proposers_informed(world, make):
    clerk = world["clerk"]
    first = submit(world)
    second = service.submit(world["hearing"], {"title": "Water pipe", "category": "water_supply",
                                               "proposer_email": "aizada@example.kg"})  # fmt: skip
    service.merge(second, first, clerk)
    assert (second.status, second.merged_into_id) == ("merged", first.id)
    assert service.recipients(first) == ["wag@example.kg", "aizada@example.kg"]
    db.session.query(OutboxMessage).delete()
    db.session.commit()
    service.admit(first, clerk)
    assert sorted(db.session.scalars(db.select(OutboxMessage.recipient))) == ["aizada@example.kg", "wag@example.kg"]


def test_merge_into_itself_or_another_hearing_is_refused(world, make):
    proposal = submit(world)
    other = service.submit(make.hearing(world["municipality"]), {"title": "X", "category": "roads"})
    for target in (proposal, other):
        with pytest.raises(service.ProposalError):
            service.merge(proposal, target, world["clerk"])


def test_progress_must_be_a_percentage(world):
    proposal = submit(world)
    service.admit(proposal, world["clerk"])
    service.decide(proposal, "recommend", world["clerk"])
    service.include(proposal, "0620", world["clerk"])
    for bad in (-1, 101, None):
        with pytest.raises(service.ProposalError):
            service.report_progress(proposal, bad, "", world["clerk"])
    assert proposal.progress_percent == 0 and date.today()
