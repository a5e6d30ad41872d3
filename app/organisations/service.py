"""Use cases of the organisation registry."""

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.audit.service import record
from app.extensions import db
from app.organisations.models import ORGANISATION_KINDS, Organisation


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


def add_organisation(municipality, name: str, kind: str) -> Organisation:
    """Add an organisation; a name already listed (ignoring case) is refused."""
    name = " ".join((name or "").split())
    if kind not in ORGANISATION_KINDS:
        raise OrganisationError(_l("Not a valid choice."), "kind")
    taken = {organisation.name.casefold() for organisation in organisations_of(municipality)}
    if name.casefold() in taken:
        raise OrganisationError(_l("An organisation with this name is already listed."), "name")
    organisation = Organisation(municipality_id=municipality.id, name=name, kind=kind)
    db.session.add(organisation)
    try:
        db.session.flush()
    except IntegrityError:  # added by someone else a moment ago
        db.session.rollback()
        raise OrganisationError(_l("An organisation with this name is already listed."), "name") from None
    record("organisation.create", organisation, None, {"name": name, "kind": kind}, municipality.id)
    db.session.commit()
    return organisation
