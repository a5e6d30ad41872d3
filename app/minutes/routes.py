"""The clerk's minutes pages: the question log during the session, chair and secretary, signed scans."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.access import hearing_for
from app.auth.models import CAN_EDIT, CAN_VIEW
from app.extensions import db
from app.minutes import bp, protocol_routes, service  # noqa: F401  (protocol_routes registers the minutes pages)
from app.minutes.forms import AnswerForm, MinutesForm, question_form
from app.minutes.models import Question
from app.minutes.service import Asker, MinutesError
from app.registration.desk_forms import NOT_SAID
from app.registration.service import RegistrationError, find_ticket


def _wants_fragment() -> bool:
    """An htmx request from a control of the page (not a boosted link or form, which wants the page)."""
    return bool(request.headers.get("HX-Request")) and not request.headers.get("HX-Boosted")


def answer_form(question: Question, formdata=None) -> AnswerForm:
    """The answer form of one question, prefixed so that every question's fields have their own ids."""
    if formdata is None:
        return AnswerForm(formdata=None, prefix=f"a{question.id}", answered_by=question.answered_by,
                          answer=question.answer)  # fmt: skip
    return AnswerForm(prefix=f"a{question.id}")


def _context(hearing, form=None, answering=None, problem=None) -> dict:
    """Everything the question page shows; `answering` is a question whose answer form was refused."""
    logged = service.questions(hearing)
    forms = {q.id: answer_form(q) for q in logged}
    if answering is not None:
        forms[answering[0].id] = answering[1]
    return {
        "hearing": hearing, "municipality": hearing.municipality, "questions": logged, "answer_forms": forms,
        "voice": service.voice(logged), "form": form or question_form(hearing.municipality, formdata=None),
        "refusal": service.refusal(hearing), "problem": problem,
    }  # fmt: skip


@bp.route("/manage/hearings/<int:hearing_id>/questions")
@login_required
def questions(hearing_id):
    """The question log: who asked (gender and age band), who answered, the answer; and the women's share."""
    hearing = hearing_for(hearing_id, CAN_VIEW)
    return render_template("minutes/questions.html", **_context(hearing))


def _asker(hearing, form) -> Asker:
    """The asker from the ticket when its code is given, else from the gender and age band entered."""
    if form.ticket_code.data:
        participant = find_ticket(hearing, form.ticket_code.data)
        if participant.is_blank:
            raise RegistrationError(_("This printed ticket is not registered yet."), "code")
        return Asker.from_ticket(participant)
    band = form.age_band_id.data if form.age_band_id.data != NOT_SAID else None
    return Asker(form.gender.data, band)


def _refused_form(hearing, form, status, problem=None):
    """The question form again with its messages: alone for htmx, else the whole page."""
    if _wants_fragment():
        body = render_template("minutes/_question_form.html", hearing=hearing, form=form, problem=problem)
        return body, status, {"HX-Retarget": "#question-form", "HX-Reswap": "outerHTML"}
    return render_template("minutes/questions.html", **_context(hearing, form, problem=problem)), status


@bp.route("/manage/hearings/<int:hearing_id>/questions", methods=["POST"])
@login_required
def add_question(hearing_id):
    """Log a question from the floor; htmx gets the list back and a fresh form."""
    hearing = hearing_for(hearing_id, CAN_EDIT)
    form = question_form(hearing.municipality)
    if service.refusal(hearing) is not None:
        return _refused_form(hearing, form, 409, service.refusal(hearing))
    if not form.validate():
        return _refused_form(hearing, form, 422)
    try:
        asker = _asker(hearing, form)
        service.add_question(hearing, form.text.data, asker, form.answered_by.data, form.answer.data, current_user)
    except (RegistrationError, MinutesError) as refused:
        db.session.rollback()
        field = {"code": "ticket_code"}.get(refused.field, refused.field)
        form[field].errors = [*form[field].errors, refused.message]
        return _refused_form(hearing, form, 422)
    if _wants_fragment():
        return render_template("minutes/_questions_added.html", **_context(hearing))
    flash(_("Question recorded. The form is ready for the next one."), "success")
    return redirect(url_for(".questions", hearing_id=hearing.id), 303)


@bp.route("/manage/hearings/<int:hearing_id>/questions/<int:question_id>/answer", methods=["POST"])
@login_required
def answer_question(hearing_id, question_id):
    """Write down who answered a question and the answer."""
    hearing = hearing_for(hearing_id, CAN_EDIT)
    question = db.first_or_404(db.select(Question).filter_by(id=question_id, hearing_id=hearing.id))
    form = answer_form(question, request.form)
    status, problem = 200, service.refusal(hearing)
    if problem is not None:
        status = 409
    elif not form.validate():
        status = 422
    else:
        service.answer_question(hearing, question, form.answered_by.data, form.answer.data, current_user)
        if not _wants_fragment():
            flash(_("Answer saved."), "success")
            return redirect(url_for(".questions", hearing_id=hearing.id, _anchor=f"question-{question.id}"), 303)
        form = answer_form(question)
    if _wants_fragment():
        number = [q.id for q in service.questions(hearing)].index(question.id) + 1
        return render_template("minutes/_question.html", hearing=hearing, question=question, number=number,
                               answer_form=form, answer_problem=problem, editable=problem is None), status  # fmt: skip
    return render_template("minutes/questions.html", **_context(hearing, answering=(question, form))), status


@bp.route("/manage/hearings/<int:hearing_id>/minutes/edit", methods=["GET", "POST"])
@login_required
def edit(hearing_id):
    """The chair, the secretary and the presentations of the minutes."""
    hearing = hearing_for(hearing_id, CAN_EDIT)
    problem = service.refusal(hearing)
    if request.method == "GET":
        form = MinutesForm(formdata=None, obj=hearing)
        return render_template("minutes/edit.html", hearing=hearing, form=form, problem=problem)
    form = MinutesForm()
    if problem is not None:
        return render_template("minutes/edit.html", hearing=hearing, form=form, problem=problem), 409
    if not form.validate():
        return render_template("minutes/edit.html", hearing=hearing, form=form, problem=None), 422
    service.save_minutes(hearing, {name: form[name].data for name in service.MINUTES_FIELDS}, current_user)
    flash(_("Minutes saved."), "success")
    return redirect(url_for(".view", hearing_id=hearing.id), 303)
