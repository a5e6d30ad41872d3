"""Use cases of the organisation registry."""

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.audit.service import record
from app.extensions import db
from app.organisations.models import ORGANISATION_KINDS, Organisation
from app.timeutil import utcnow

EDITABLE = ("name", "kind", "contact_email", "members_female", "members_male")


class OrganisationError(Exception):
    """A refused change, with a translated message for the field `field`."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def organisations_of(municipality) -> list[Organisation]:
    """The municipality's organisations, by name."""
    return db.session.scalars(
        db.select(Organisation).filter_by(municipality_id=municipality.id).order_by(Organisation.name)
    ).all()


def _checked(municipality, name: str, kind: str, members: tuple, keep: Organisation | None = None) -> str:
    """The cleaned name, after refusing an unknown kind, negative members or a name already listed."""
    name = " ".join((name or "").split())
    if kind not in ORGANISATION_KINDS:
        raise OrganisationError(_l("Not a valid choice."), "kind")
    for field, count in zip(("members_female", "members_male"), members, strict=True):
        if count is not None and count < 0:
            raise OrganisationError(_l("Number must be at least %(min)s.", min=0), field)
    taken = {o.name.casefold() for o in organisations_of(municipality) if o is not keep}
    if name.casefold() in taken:
        raise OrganisationError(_l("An organisation with this name is already listed."), "name")
    return name


def _flush_or_refuse() -> None:
    try:
        db.session.flush()
    except IntegrityError:  # the same name saved by someone else a moment ago
        db.session.rollback()
        raise OrganisationError(_l("An organisation with this name is already listed."), "name") from None


def add_organisation(municipality, name: str, kind: str, contact_email: str | None = None,
                     members_female: int | None = None, members_male: int | None = None) -> Organisation:
    """Add an organisation; a name already listed (ignoring case) is refused."""
    name = _checked(municipality, name, kind, (members_female, members_male))
    organisation = Organisation(municipality_id=municipality.id, name=name, kind=kind,
                                contact_email=(contact_email or "").strip() or None,
                                members_female=members_female, members_male=members_male)  # fmt: skip
    db.session.add(organisation)
    _flush_or_refuse()
    record("organisation.create", organisation, None, {"name": name, "kind": kind}, municipality.id)
    db.session.commit()
    return organisation


def _snapshot(organisation: Organisation) -> dict:
    return {name: getattr(organisation, name) for name in EDITABLE}


def update_organisation(organisation: Organisation, data: dict) -> None:
    """Change name, kind, contact e-mail or members, and log the change."""
    municipality = organisation.municipality
    name = _checked(municipality, data["name"], data["kind"], (data.get("members_female"), data.get("members_male")),
                    keep=organisation)  # fmt: skip
    before = _snapshot(organisation)
    organisation.name, organisation.kind = name, data["kind"]
    organisation.contact_email = (data.get("contact_email") or "").strip() or None
    organisation.members_female, organisation.members_male = data.get("members_female"), data.get("members_male")
    _flush_or_refuse()
    record("organisation.edit", organisation, before, _snapshot(organisation), organisation.municipality_id)
    db.session.commit()


def rotate_token(organisation: Organisation) -> None:
    """Issue a new private tracking link; the old one stops working. The log keeps the time, never the token."""
    before = organisation.token_rotated_at
    organisation.rotate_token(utcnow())
    db.session.flush()
    record("organisation.rotate_token", organisation, {"rotated_at": before.isoformat() if before else None},
           {"rotated_at": organisation.token_rotated_at.isoformat()}, organisation.municipality_id)  # fmt: skip
    db.session.commit()
