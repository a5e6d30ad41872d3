"""Use cases for a municipality's settings, settlements, age bands and members."""

from datetime import time

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.audit.service import record
from app.auth.models import Membership, User
from app.extensions import db
from app.municipalities.models import AgeBand, Municipality, Settlement
from app.proposals.labels import CATEGORIES

SETTING_FIELDS = (
    "name", "region", "default_locale", "currency", "timezone", "notice_days",
    "require_step_free_declared", "require_childcare_declared", "consultation_required",
    "women_share_target", "data_completeness_target", "answer_deadline_days",
    "publish_within_days", "small_cell_threshold", "allow_other_gender",
    "personal_data_retention_days",
)  # fmt: skip


class ServiceError(Exception):
    """A refused change, with a translated message for the field `field`."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def settings_snapshot(municipality: Municipality) -> dict:
    """Every editable setting, as the audit log and the form see it."""
    data = {name: getattr(municipality, name) for name in SETTING_FIELDS}
    data |= {
        "languages": municipality.language_list,
        "required_languages": municipality.required_language_list,
        "market_days": [str(day) for day in municipality.market_day_list],
        "window_start": time(*divmod(municipality.window_start_minute, 60)),
        "window_end": time(*divmod(municipality.window_end_minute, 60)),
        "proposal_categories": municipality.category_list,
        "excluded_categories": municipality.excluded_category_list,
    }
    return data


def update_settings(municipality: Municipality, data: dict) -> None:
    """Store new settings and log the change."""
    before = settings_snapshot(municipality)
    for name in SETTING_FIELDS:
        setattr(municipality, name, data[name])
    municipality.languages = ",".join(data["languages"])
    municipality.required_languages = ",".join(data["required_languages"])
    municipality.market_days = ",".join(sorted(data["market_days"]))
    municipality.window_start_minute = data["window_start"].hour * 60 + data["window_start"].minute
    municipality.window_end_minute = data["window_end"].hour * 60 + data["window_end"].minute
    municipality.proposal_categories = ",".join(c for c in CATEGORIES if c in data["proposal_categories"])
    municipality.excluded_categories = ",".join(c for c in CATEGORIES if c in data["excluded_categories"])
    record("municipality.settings", municipality, _jsonable(before),
           _jsonable(settings_snapshot(municipality)), municipality.id)  # fmt: skip
    db.session.commit()


def _jsonable(snapshot: dict) -> dict:
    return {key: value.isoformat() if isinstance(value, time) else value for key, value in snapshot.items()}


def replace_age_bands(municipality: Municipality, rows: list[dict]) -> None:
    """Replace the age-band scheme with the non-empty `rows`, keeping the bands participants already refer to."""
    before = [band.label for band in municipality.age_bands]
    kept = [row for row in rows if row["label"]]
    bands = list(municipality.age_bands)
    for position, row in enumerate(kept):  # change in place: participants, ballots and counts point at these rows
        band = bands[position] if position < len(bands) else AgeBand(position=position)
        band.label, band.min_age, band.max_age, band.is_youth = (row["label"].strip(), row["min_age"],
                                                                 row["max_age"], row["is_youth"])  # fmt: skip
        if position >= len(bands):
            municipality.age_bands.append(band)
    for band in bands[len(kept):]:
        municipality.age_bands.remove(band)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise ServiceError(_l("These age bands cannot be saved: each needs a different label and a lower age, "
                              "and a band that participants already use cannot be removed.")) from None
    record("municipality.age_bands", municipality, {"bands": before},
           {"bands": [b.label for b in municipality.age_bands]}, municipality.id)  # fmt: skip
    db.session.commit()


def add_settlement(municipality: Municipality, name: str) -> Settlement:
    """Add a village or mahalla; names are unique within the municipality."""
    settlement = Settlement(municipality=municipality, name=name.strip())
    db.session.add(settlement)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise ServiceError(_l("This settlement already exists."), "name") from None
    record("settlement.add", settlement, None, {"name": settlement.name}, municipality.id)
    db.session.commit()
    return settlement


def remove_settlement(municipality: Municipality, settlement: Settlement) -> None:
    """Remove a settlement that nothing refers to yet."""
    record("settlement.remove", settlement, {"name": settlement.name}, None, municipality.id)
    db.session.delete(settlement)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ServiceError(_l("This settlement is in use and cannot be removed.")) from None


def set_member(municipality: Municipality, username: str, full_name: str, password: str, role: str):
    """Give `username` a role here, creating the user when a password is given."""
    username = username.strip().lower()
    user = db.session.scalar(db.select(User).where(User.username == username))
    if user is None:
        if not password:
            raise ServiceError(_l("A new user needs a password of at least 10 characters."), "password")
        user = User(username=username, full_name=full_name.strip())
        user.set_password(password)
        db.session.add(user)
        db.session.flush()
    membership = db.session.scalar(
        db.select(Membership).filter_by(user_id=user.id, municipality_id=municipality.id)
    )
    before = membership.role if membership else None
    if membership is None:
        membership = Membership(user=user, municipality_id=municipality.id, role=role)
        db.session.add(membership)
    membership.role = role
    db.session.flush()
    record("membership.set", membership, {"role": before}, {"role": role, "user": username},
           municipality.id)  # fmt: skip
    db.session.commit()
    return membership


def remove_member(municipality: Municipality, membership: Membership, acting_user: User) -> None:
    """Take a user's role away; an admin cannot remove their own role."""
    if membership.user_id == acting_user.id:
        raise ServiceError(_l("You cannot remove your own role."))
    record("membership.remove", membership, {"role": membership.role,
           "user": membership.user.username}, None, municipality.id)  # fmt: skip
    db.session.delete(membership)
    db.session.commit()
