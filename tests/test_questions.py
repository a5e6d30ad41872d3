"""The question log during the session: from a ticket or entered, answers later, the women's share, refusals."""

import html as html_lib
import re
from types import SimpleNamespace

import pytest

from app.audit.models import AuditEvent
from app.extensions import db
from app.minutes.models import Question
from app.registration import service as registration
from app.registration.service import PersonDetails
from tests.helpers import login, post


@pytest.fixture
def hall(client, make):
    """Kumbel's hearing in session with a woman (18-35) and a man checked in; the clerk is logged in."""
    kumbel = make.municipality()
    clerk = make.user("aigul", kumbel, "clerk")
    make.user("bakyt", kumbel, "observer")
    hearing = make.hearing(kumbel, state="announced")
    bands = kumbel.age_bands
    woman = registration.walk_in(hearing, PersonDetails("female", bands[1].id), clerk).participant
    man = registration.walk_in(hearing, PersonDetails("male", bands[2].id), clerk).participant
    login(client, "aigul")
    return SimpleNamespace(municipality=kumbel, hearing=hearing, woman=woman, man=man, bands=bands,
                           url=f"/manage/hearings/{hearing.id}/questions")  # fmt: skip


def text_of(response) -> str:
    return html_lib.unescape(response.get_data(as_text=True))


def error_of(response, field_id):
    match = re.search(rf'id="{field_id}-error" role="alert">(.*?)</p>', response.get_data(as_text=True), re.S)
    return html_lib.unescape(match.group(1)).strip() if match else None


def logged():
    return db.session.scalars(db.select(Question).order_by(Question.id)).all()


def test_a_question_asked_with_a_ticket_takes_gender_and_age_band_from_the_ticket(client, hall):
    response = post(client, hall.url, {"text": "When will the road be repaired?",
                                       "ticket_code": hall.woman.short_code.lower(), "gender": "male"})
    assert response.status_code == 303
    [question] = logged()
    assert question.asker_gender == "female" and question.asker_age_band_id == hall.bands[1].id
    assert question.participant_id == hall.woman.id and question.answer == ""
    page = text_of(client.get(hall.url))
    assert "When will the road be repaired?" in page and "Woman · " + hall.bands[1].label in page


def test_a_question_without_a_ticket_records_the_gender_and_age_band_entered(client, hall):
    response = post(client, hall.url, {"text": "Who pays for the school roof?", "gender": "male",
                                       "age_band_id": str(hall.bands[3].id), "answered_by": "Head of aiyl okmotu",
                                       "answer": "The district budget."})  # fmt: skip
    assert response.status_code == 303
    [question] = logged()
    assert (question.asker_gender, question.asker_age_band_id) == ("male", hall.bands[3].id)
    assert question.participant_id is None
    assert (question.answered_by, question.answer) == ("Head of aiyl okmotu", "The district budget.")
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="question.add"))
    assert event.object_id == question.id and event.after["asker_gender"] == "male"


def test_age_band_not_said_is_stored_as_unknown(client, hall):
    post(client, hall.url, {"text": "Q", "gender": "undisclosed", "age_band_id": "0"})
    [question] = logged()
    assert question.asker_gender == "undisclosed" and question.asker_age_band_id is None


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"text": "", "gender": "female"}, "text", "This field is required."),
        ({"text": "x" * 2001, "gender": "female"}, "text", "Field cannot be longer than 2000 characters."),
        ({"text": "Why?"}, "gender", "Choose one of the options, or type the ticket code."),
        ({"text": "Why?", "gender": "alien"}, "gender", "Choose one of the options, or type the ticket code."),
        ({"text": "Why?", "ticket_code": "ZZZZZZ"}, "ticket_code", "No ticket with this code."),
        ({"text": "Why?", "ticket_code": "??"}, "ticket_code", "A code has 6 letters and digits, for example K7M2QX."),
        ({"text": "Why?", "gender": "female", "age_band_id": "999999"}, "age_band_id", "Not a valid choice."),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_nothing_is_written(client, hall, data, field, message):
    response = post(client, hall.url, data)
    assert response.status_code == 422
    assert message in (error_of(response, field) or ""), text_of(response)
    assert logged() == []
    if data["text"] == "Why?":
        assert "Why?" in text_of(response)  # what was typed is kept


def test_htmx_add_returns_the_list_with_the_voice_figure_and_a_fresh_form(client, hall):
    post(client, hall.url, {"text": "First", "gender": "male", "age_band_id": "0"})
    response = post(client, hall.url, {"text": "Second question", "gender": "female", "age_band_id": "0"},
                    headers={"HX-Request": "true"})  # fmt: skip
    body = text_of(response)
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="questions"')  # the fragment, not the page
    assert "<html" not in body and "Second question" in body
    assert "Women asked 1 of 2 questions whose asker's gender is known (50%)." in body
    form = re.search(r'<form[^>]*id="question-form".*?</form>', body, re.S).group(0)
    assert 'hx-swap-oob="true"' in form and "Second question" not in form


def test_htmx_refusal_returns_the_form_with_its_message_retargeted(client, hall):
    response = post(client, hall.url, {"text": ""}, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#question-form"
    assert error_of(response, "text") == "This field is required."
    assert logged() == []


def test_the_answer_is_written_later_and_audited(client, hall):
    post(client, hall.url, {"text": "Water?", "gender": "female", "age_band_id": "0"})
    [question] = logged()
    url = f"{hall.url}/{question.id}/answer"
    prefix = f"a{question.id}-"
    response = post(client, url, {prefix + "answered_by": "Head of aiyl okmotu", prefix + "answer": "In May."})
    assert response.status_code == 303 and response.location.endswith(f"#question-{question.id}")
    db.session.refresh(question)
    assert (question.answered_by, question.answer) == ("Head of aiyl okmotu", "In May.")
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="question.answer"))
    assert event.before["answer"] == "" and event.after["answer"] == "In May."
    fragment = post(client, url, {prefix + "answer": "x" * 5001}, headers={"HX-Request": "true"})
    assert fragment.status_code == 422 and error_of(fragment, prefix + "answer")
    db.session.refresh(question)
    assert question.answer == "In May."


def test_questions_are_refused_before_the_session_and_after_publication(client, hall, make):
    announced = make.hearing(hall.municipality, state="announced")
    response = post(client, f"/manage/hearings/{announced.id}/questions", {"text": "Early?", "gender": "female"})
    assert response.status_code == 409
    assert "Questions and minutes are recorded once the session is open." in text_of(response)
    published = make.hearing(hall.municipality, state="published")
    response = post(client, f"/manage/hearings/{published.id}/questions", {"text": "Late?", "gender": "female"})
    assert response.status_code == 409 and "only through a correction" in text_of(response)
    assert logged() == []


def test_an_answer_cannot_change_once_the_hearing_is_published(client, hall):
    post(client, hall.url, {"text": "Water?", "gender": "female", "age_band_id": "0"})
    [question] = logged()
    hall.hearing.state = "published"
    db.session.commit()
    response = post(client, f"{hall.url}/{question.id}/answer", {f"a{question.id}-answer": "Changed"})
    assert response.status_code == 409
    db.session.refresh(question)
    assert question.answer == ""
    assert 'id="question-form"' not in client.get(hall.url).get_data(as_text=True)


def test_an_observer_sees_the_log_but_cannot_add_or_answer(client, hall):
    post(client, hall.url, {"text": "Water?", "gender": "female", "age_band_id": "0"})
    [question] = logged()
    post(client, "/logout")
    login(client, "bakyt")
    page = client.get(hall.url)
    assert page.status_code == 200 and "Water?" in text_of(page)
    assert 'id="question-form"' not in page.get_data(as_text=True)
    assert post(client, hall.url, {"text": "Mine", "gender": "male"}).status_code == 403
    assert post(client, f"{hall.url}/{question.id}/answer", {f"a{question.id}-answer": "No"}).status_code == 403
    assert len(logged()) == 1


def test_a_question_of_another_hearing_is_not_found(client, hall, make):
    other = make.hearing(hall.municipality, state="in_session")
    post(client, hall.url, {"text": "Water?", "gender": "female", "age_band_id": "0"})
    [question] = logged()
    assert post(client, f"/manage/hearings/{other.id}/questions/{question.id}/answer", {}).status_code == 404
