"""The clerk's publication pages: publish with justifications, corrections after publication."""

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.access import hearing_for
from app.auth.models import CAN_EDIT, CAN_VIEW
from app.extensions import db
from app.hearings.models import IllegalTransition
from app.hearings.service import JustificationNeeded
from app.minutes.models import Question
from app.proposals.overview import local_today
from app.publication import bp, service
from app.publication.forms import SUBJECT_LABELS, correction_form


def _render_prepare(hearing, status=200, missing=()):
    published_on = None if hearing.is_published else local_today(hearing.municipality)
    return render_template(
        "publication/clerk/publish.html", hearing=hearing, municipality=hearing.municipality,
        requirements=service.requirement_checks(hearing, published_on=published_on), missing=set(missing),
    ), status  # fmt: skip


@bp.route("/manage/hearings/<int:hearing_id>/publish")
@login_required
def prepare(hearing_id):
    """The whole checklist before publishing, with a justification field for each requirement not met."""
    return _render_prepare(hearing_for(hearing_id, CAN_VIEW))


@bp.route("/manage/hearings/<int:hearing_id>/publish", methods=["POST"])
@login_required
def publish(hearing_id):
    """Publish a closed hearing; unmet requirements need their written justification."""
    hearing = hearing_for(hearing_id, CAN_EDIT)
    justifications = {key.removeprefix("justification_"): value[:2000]
                      for key, value in request.form.items() if key.startswith("justification_")}  # fmt: skip
    try:
        service.publish(hearing, justifications, current_user)
    except JustificationNeeded as needed:
        flash(_("Explain why the hearing is published although a requirement is not met."), "error")
        return _render_prepare(hearing, 422, needed.requirements)
    except IllegalTransition as refused:
        flash(str(refused), "error")
        return _render_prepare(hearing, 409)
    flash(_("The hearing is published. Its records are now frozen."), "success")
    return redirect(url_for("hearings.dashboard", hearing_id=hearing.id), 303)


def _questions(hearing):
    return db.session.scalars(sa.select(Question).where(Question.hearing_id == hearing.id).order_by(Question.id)).all()


@bp.route("/manage/hearings/<int:hearing_id>/corrections", methods=["GET", "POST"], endpoint="corrections")
@login_required
def correction_list(hearing_id):
    """Corrections made after publication; clerks add one with its reason."""
    hearing = hearing_for(hearing_id, CAN_VIEW)
    questions = _questions(hearing)
    form = correction_form(questions)
    status = 200
    if request.method == "POST":
        hearing_for(hearing_id, CAN_EDIT)
        if form.validate_on_submit():
            try:
                service.correct(hearing, form.subject.data, form.value.data, form.reason.data, current_user)
            except service.PublicationError as error:
                target = form[error.field] if error.field else form.subject
                target.errors = [*target.errors, error.message]
            else:
                flash(_("Correction published."), "success")
                return redirect(url_for(".corrections", hearing_id=hearing.id), 303)
        status = 422
    return render_template(
        "publication/clerk/corrections.html", hearing=hearing, municipality=hearing.municipality, form=form,
        questions=questions, corrections=service.corrections(hearing), SUBJECT_LABELS=SUBJECT_LABELS,
    ), status  # fmt: skip
