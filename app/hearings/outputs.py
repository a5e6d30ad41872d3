"""What an announcement produces: QR code, share texts and a calendar file."""

import io
from datetime import UTC

import qrcode
import qrcode.image.svg
from flask import current_app, url_for
from flask_babel import force_locale, format_datetime, format_time
from flask_babel import gettext as _
from icalendar import Calendar, Event
from markupsafe import Markup

from app.hearings.forms import KIND_LABELS
from app.hearings.models import Hearing


def absolute_url(endpoint: str, **values) -> str:
    """An address to print or encode in a QR code, on PUBLIC_BASE_URL when it is configured."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, **values, _external=True)


def public_url(hearing: Hearing) -> str:
    """The hearing's short public address."""
    return absolute_url("hearings.public_page", code=hearing.public_code)


def qr_svg(data: str) -> Markup:
    """An inline SVG QR code for `data`, drawn as one path (no image request)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4, box_size=10)
    code.add_data(data)
    image = code.make_image(image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    svg = svg[svg.index("<svg") :]
    return Markup(svg)


def share_text(hearing: Hearing, locale: str) -> str:
    """A short message for SMS, WhatsApp or Telegram in `locale`, with the link."""
    with force_locale(locale):
        text = hearing.best_text(locale)
        return _(
            "%(kind)s: %(title)s. %(when)s–%(end)s, %(venue)s. Everyone is welcome. %(url)s",
            kind=KIND_LABELS[hearing.kind],
            title=text.title if text else "",
            when=format_datetime(hearing.starts_at, "d MMMM y, HH:mm"),
            end=format_time(hearing.ends_at, "HH:mm"),
            venue=hearing.venue,
            url=public_url(hearing),
        )


def calendar_file(hearing: Hearing, locale: str) -> bytes:
    """An .ics calendar entry for the hearing."""
    text = hearing.best_text(locale)
    calendar = Calendar()
    calendar.add("prodid", "-//hearings//budget hearings//EN")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"hearing-{hearing.public_code}@hearings")
    event.add("summary", text.title if text else str(KIND_LABELS[hearing.kind]))
    event.add("dtstart", hearing.starts_at.replace(tzinfo=UTC))
    event.add("dtend", hearing.ends_at.replace(tzinfo=UTC))
    event.add("dtstamp", hearing.updated_at.replace(tzinfo=UTC))
    event.add("location", ", ".join(part for part in (hearing.venue, hearing.address) if part))
    event.add("url", public_url(hearing))
    description = (text.description if text else "") + "\n" + public_url(hearing)
    event.add("description", description.strip())
    if hearing.state == "cancelled":
        event.add("status", "CANCELLED")
    calendar.add_component(event)
    return calendar.to_ical()
