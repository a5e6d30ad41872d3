"""Creating, editing and announcing hearings; bad input saves nothing."""

from datetime import timedelta

import pytest

from app.audit.models import AuditEvent
from app.auth.models import User
from app.extensions import db
from app.hearings.models import Hearing, HearingText, Justification
from app.registration import service as registration
from app.timeutil import utc_to_local, utcnow
from app.voting import service as voting
from tests.helpers import login, post


@pytest.fixture
def clerk(client, make):
    """A logged-in clerk of Kumbel (KG: languages ky and ru)."""
    kumbel = make.municipality(settlements=("Kumbel", "Ak-Bulak"))
    make.user("aigul", kumbel, "clerk")
    login(client, "aigul")
    return kumbel


def future(days=20):
    return (utc_to_local(utcnow(), "Asia/Bishkek").date() + timedelta(days=days)).isoformat()


def hearing_data(**overrides):
    data = {
        "kind": "budget_draft", "title_ky": "Бюджеттин долбоору", "title_ru": "Проект бюджета",
        "description_ky": "", "description_ru": "", "date": future(), "start_time": "10:00",
        "end_time": "12:00", "venue": "Айыл өкмөтү", "address": "", "settlement_id": "0",
        "step_free": "yes", "childcare": "no", "interpretation": "unknown", "agenda": "Budget\nQuestions",
        "envelope": "", "currency": "KGS",
    }  # fmt: skip
    data.update(overrides)
    return data


def count(model):
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_clerk_creates_a_draft_with_two_languages_and_an_agenda(client, clerk):
    response = post(client, "/manage/kumbel/hearings/new", hearing_data())
    assert response.status_code == 302
    hearing = db.session.scalars(db.select(Hearing)).one()
    assert hearing.state == "draft"
    assert {t.locale: t.title for t in hearing.texts} == {"ky": "Бюджеттин долбоору", "ru": "Проект бюджета"}
    assert [item.text for item in hearing.agenda] == ["Budget", "Questions"]
    assert utc_to_local(hearing.starts_at, "Asia/Bishkek").hour == 10  # stored in UTC, entered in local time
    assert hearing.starts_at.hour == 4
    assert db.session.scalar(db.select(AuditEvent.action)) == "hearing.create"


@pytest.mark.parametrize(
    "overrides, field_message",
    [
        ({"date": "2020-01-01"}, "The date is in the past."),
        ({"end_time": "09:00"}, "The end must be later than the start."),
        ({"settlement_id": "99999"}, "Choose a settlement from the list."),
        ({"title_ky": "", "title_ru": ""}, "Enter a title in at least one language."),
        ({"title_ru": "", "description_ru": "Текст"}, "A description needs a title in the same language."),
        ({"kind": "participatory_budget", "envelope": ""}, "Enter the amount citizens can allocate."),
        ({"kind": "participatory_budget", "envelope": "NaN"}, "Not a valid decimal value."),
        ({"kind": "participatory_budget", "envelope": "-5"}, "Number must be between 0 and"),
        ({"date": "not-a-date"}, "Not a valid date value."),
        ({"venue": ""}, "This field is required."),
        ({"title_ky": "x" * 201}, "Field cannot be longer than 200 characters."),
        ({"kind": "coronation"}, "Not a valid choice."),
        ({"agenda": "\n".join(["item"] * 31)}, "At most 30 agenda items."),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_saves_nothing(client, clerk, overrides, field_message):
    response = post(client, "/manage/kumbel/hearings/new", hearing_data(**overrides))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert field_message in html
    assert 'class="error"' in html and 'aria-invalid="true"' in html
    assert count(Hearing) == 0
    assert count(AuditEvent) == 0


def test_settlement_of_another_municipality_is_refused(client, clerk, make):
    other = make.municipality("UZ", "yangiyol", "Yangiyol", settlements=("Navbahor",))
    response = post(client, "/manage/kumbel/hearings/new",
                    hearing_data(settlement_id=str(other.settlements[0].id)))  # fmt: skip
    assert response.status_code == 422
    assert count(Hearing) == 0


def test_edit_changes_texts_and_drops_an_emptied_language(client, clerk, make):
    hearing = make.hearing(clerk, state="draft")
    response = post(client, f"/manage/hearings/{hearing.id}/edit",
                    hearing_data(title_ky="Жаңы аталыш", title_ru=""))  # fmt: skip
    assert response.status_code == 302
    texts = db.session.execute(db.select(HearingText.locale, HearingText.title)).all()
    assert texts == [("ky", "Жаңы аталыш")]
    assert db.session.scalars(db.select(AuditEvent.action)).all()[-1] == "hearing.edit"


def test_edit_form_shows_the_saved_values(client, clerk, make):
    hearing = make.hearing(clerk, state="draft")
    html = client.get(f"/manage/hearings/{hearing.id}/edit").get_data(as_text=True)
    assert 'value="Бюджет боюнча угуу"' in html
    assert 'value="10:00"' in html


def test_live_checklist_reports_each_requirement(client, clerk):
    data = hearing_data(end_time="18:00", title_ru="", childcare="unknown", date=future(3))
    html = post(client, "/manage/kumbel/hearings/checklist", data).get_data(as_text=True)
    assert 'data-check="notice"' in html
    for check in ("notice", "time", "languages", "venue"):
        assert f'class="check not_met" data-check="{check}"' in html
    html = post(client, "/manage/kumbel/hearings/checklist", hearing_data(childcare="yes")).get_data(as_text=True)
    assert html.count('class="check met"') == 4


def test_announcing_with_all_checks_met_needs_no_justification(client, clerk, make):
    hearing = make.hearing(clerk, state="draft", days=20)
    response = post(client, f"/manage/hearings/{hearing.id}/announce")
    assert response.status_code == 302
    assert db.session.scalar(db.select(Hearing.state)) == "announced"
    assert db.session.scalar(db.select(AuditEvent.action).order_by(AuditEvent.id.desc())) == "hearing.announce"


def test_announcing_with_short_notice_asks_for_a_justification(client, clerk, make):
    hearing = make.hearing(clerk, state="draft", days=3)
    response = post(client, f"/manage/hearings/{hearing.id}/announce")
    assert response.status_code == 422
    assert "A written justification is needed" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Hearing.state)) == "draft"
    response = post(client, f"/manage/hearings/{hearing.id}/announce",
                    {"justification_notice": "The council moved the budget session."})  # fmt: skip
    assert response.status_code == 302
    assert db.session.scalar(db.select(Hearing.state)) == "announced"
    assert db.session.scalar(db.select(Justification.requirement)) == "notice"
    public = client.get(f"/h/{hearing.public_code}").get_data(as_text=True)
    assert "The council moved the budget session." in public


def test_a_hearing_in_the_past_cannot_be_announced(client, clerk, make):
    hearing = make.hearing(clerk, state="draft", days=-2)
    response = post(client, f"/manage/hearings/{hearing.id}/announce",
                    {"justification_notice": "x", "justification_time": "x"})  # fmt: skip
    assert response.status_code == 409
    assert "The hearing starts in the past" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Hearing.state)) == "draft"


def test_announced_hearing_cannot_be_announced_twice(client, clerk, make):
    hearing = make.hearing(clerk, state="announced")
    response = post(client, f"/manage/hearings/{hearing.id}/announce")
    assert response.status_code == 409
    assert "Only a draft or postponed hearing can be announced." in response.get_data(as_text=True)


def test_postpone_needs_a_reason_and_then_re_announce_works(client, clerk, make):
    hearing = make.hearing(clerk, state="announced")
    assert post(client, f"/manage/hearings/{hearing.id}/postpone", {"reason": "  "}).status_code == 422
    assert db.session.scalar(db.select(Hearing.state)) == "announced"
    response = post(client, f"/manage/hearings/{hearing.id}/postpone", {"reason": "Flooded road"})
    assert response.status_code == 302
    assert db.session.execute(db.select(Hearing.state, Hearing.state_reason)).one() == ("postponed", "Flooded road")
    assert "Flooded road" in client.get(f"/h/{hearing.public_code}").get_data(as_text=True)
    assert post(client, f"/manage/hearings/{hearing.id}/announce").status_code == 302
    assert db.session.scalar(db.select(Hearing.state)) == "announced"


def test_cancelled_hearing_is_final(client, clerk, make):
    hearing = make.hearing(clerk, state="announced")
    assert post(client, f"/manage/hearings/{hearing.id}/cancel", {"reason": "Merged"}).status_code == 302
    assert post(client, f"/manage/hearings/{hearing.id}/postpone", {"reason": "x"}).status_code == 409
    assert post(client, f"/manage/hearings/{hearing.id}/announce").status_code == 409
    assert client.get(f"/manage/hearings/{hearing.id}/edit").status_code == 302
    assert post(client, f"/manage/hearings/{hearing.id}/edit", hearing_data()).status_code == 302
    assert db.session.scalar(db.select(Hearing.state)) == "cancelled"
    actions = db.session.scalars(db.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["hearing.cancel"]


def test_every_transition_is_in_the_audit_log_with_before_and_after(client, clerk, make):
    hearing = make.hearing(clerk, state="draft")
    post(client, f"/manage/hearings/{hearing.id}/announce")
    post(client, f"/manage/hearings/{hearing.id}/postpone", {"reason": "Snow"})
    events = db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id)).all()
    moves = [(e.before["state"], e.after["state"]) for e in events]
    assert moves == [("draft", "announced"), ("announced", "postponed")]
    assert events[1].prev_hash == events[0].hash
    assert all(e.user_id is not None for e in events)


def test_dashboard_shows_share_texts_in_each_language(client, clerk, make):
    hearing = make.hearing(clerk, state="announced")
    html = client.get(f"/manage/hearings/{hearing.id}").get_data(as_text=True)
    assert f"/h/{hearing.public_code}" in html
    assert 'id="share-ky"' in html and 'id="share-ru"' in html
    assert "Бюджет боюнча угуу" in html


def test_the_dashboard_history_names_every_action_recorded_against_the_hearing(client, clerk, make):
    client.set_cookie("lang", "en")
    hearing = make.hearing(clerk, state="in_session")
    user = db.session.scalar(db.select(User).filter_by(username="aigul"))
    voting.configure(hearing, {"rule": "majority"}, user)
    voting.record_hands(hearing, "proposal:1", {}, user)
    registration.create_blank_tickets(hearing, 2)
    html = client.get(f"/manage/hearings/{hearing.id}").get_data(as_text=True)
    history = html[html.index('id="history"') :]
    assert "Voting setup ·" in history and "Show of hands ·" in history and "Blank tickets" in history
    recorded = db.session.scalars(db.select(AuditEvent.action).where(AuditEvent.object_type == "hearing")).all()
    assert set(recorded) == {"voting.setup", "voting.hands", "tickets.print"}
    assert not any(action in history for action in recorded)  # no raw action names
