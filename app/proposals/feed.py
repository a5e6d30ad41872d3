"""An organisation's Atom feed (RFC 4287): one entry per change to one of its proposals, newest first."""

import re
import xml.etree.ElementTree as ET
from datetime import datetime
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from flask_babel import gettext as _

from app.hearings.outputs import absolute_url
from app.i18n import format_money
from app.organisations.models import Organisation
from app.proposals.labels import EVENT_LABELS, STATUS_LABELS
from app.proposals.models import ProposalEvent

ATOM = "http://www.w3.org/2005/Atom"
CONTENT_TYPE = "application/atom+xml; charset=utf-8"
# Characters XML 1.0 cannot carry at all; a pasted title may contain them.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text) -> str:
    return NOT_XML.sub("", str(text))


def rfc3339(moment: datetime) -> str:
    """A naive UTC time as an RFC 3339 timestamp."""
    return moment.replace(microsecond=0).isoformat() + "Z"


def _tag(authority: str, day: datetime, specific: str) -> str:
    """A tag: URI (RFC 4151); stable across token rotations because it names records, not the link."""
    return f"tag:{authority},{day:%Y-%m-%d}:{specific}"


def _sub(parent, name: str, text=None, **attributes):
    element = ET.SubElement(parent, name, {k: _clean(v) for k, v in attributes.items()})
    if text is not None:
        element.text = _clean(text)
    return element


def event_note(event: ProposalEvent) -> str:
    """An event's text as people read it: a cost set by the municipality is shown as money."""
    if event.kind == "cost_set":
        try:
            return format_money(Decimal(event.text), event.proposal.hearing.currency)
        except (InvalidOperation, ValueError):
            pass
    return event.text


def _summary(event: ProposalEvent) -> str:
    """What changed, in words: the change, the status it led to, the percentage and the note or reason."""
    parts = [str(EVENT_LABELS.get(event.kind, event.kind))]
    if event.to_status and event.to_status != event.kind:
        parts.append(str(STATUS_LABELS[event.to_status]))
    if event.percent is not None:
        parts.append(f"{event.percent} %")
    if event.text:
        parts.append(event_note(event))
    return " · ".join(parts)


def organisation_feed(organisation: Organisation, events: list[ProposalEvent]) -> bytes:
    """The Atom document for `events` (already newest first), every text escaped by ElementTree."""
    page = absolute_url("proposals.track", token=organisation.tracking_token)
    authority = urlsplit(page).hostname or "localhost"
    feed = ET.Element("feed", xmlns=ATOM)  # every element is Atom's: one default namespace declaration
    _sub(feed, "id", _tag(authority, organisation.created_at, f"organisation/{organisation.id}"))
    _sub(feed, "title", _("Proposals of %(organisation)s", organisation=organisation.name))
    _sub(feed, "updated", rfc3339(events[0].at if events else organisation.created_at))
    _sub(_sub(feed, "author"), "name", organisation.municipality.name)
    _sub(feed, "link", rel="self", type="application/atom+xml",
         href=absolute_url("proposals.feed", token=organisation.tracking_token))  # fmt: skip
    _sub(feed, "link", rel="alternate", type="text/html", href=page)
    for event in events:
        proposal = event.proposal
        entry = _sub(feed, "entry")
        _sub(entry, "id", _tag(authority, proposal.created_at, f"proposal/{proposal.id}/event/{event.id}"))
        _sub(entry, "title", f"{proposal.title} — {EVENT_LABELS.get(event.kind, event.kind)}")
        _sub(entry, "updated", rfc3339(event.at))
        _sub(entry, "published", rfc3339(event.at))
        _sub(entry, "link", rel="alternate", type="text/html",
             href=absolute_url("proposals.public_page", proposal_id=proposal.id))  # fmt: skip
        _sub(entry, "summary", _summary(event), type="text")
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
