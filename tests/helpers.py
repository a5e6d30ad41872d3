"""Test helpers: factories, CSRF-aware posting and logging in."""

import re
from datetime import datetime, time, timedelta

from app.auth.models import Membership, User
from app.extensions import db
from app.hearings.models import Hearing, HearingText
from app.municipalities.models import Municipality, Settlement
from app.rules.codes import new_code
from app.timeutil import local_to_utc, utc_to_local, utcnow

PASSWORD = "correct-horse-battery"


class Factory:
    """Builds exactly the records a test needs."""

    def municipality(self, country="KG", slug="kumbel", name="Kumbel", settlements=("Kumbel",)):
        municipality = Municipality.from_preset(country, slug, name)
        for settlement in settlements:
            municipality.settlements.append(Settlement(name=settlement))
        db.session.add(municipality)
        db.session.commit()
        return municipality

    def user(self, username, municipality=None, role="clerk", locale=None):
        user = User(username=username, full_name=username.title(), locale=locale)
        user.set_password(PASSWORD)
        db.session.add(user)
        if municipality is not None:
            db.session.add(Membership(user=user, municipality_id=municipality.id, role=role))
        db.session.commit()
        return user

    def hearing(self, municipality, state="announced", days=14, titles=None, **fields):
        tz = municipality.timezone
        day = utc_to_local(utcnow(), tz).date() + timedelta(days=days)
        hearing = Hearing(
            municipality=municipality, public_code=new_code(6), kind=fields.pop("kind", "budget_draft"),
            state=state, starts_at=local_to_utc(datetime.combine(day, time(10)), tz),
            ends_at=local_to_utc(datetime.combine(day, time(12)), tz), venue="Village hall",
            currency=municipality.currency, step_free=True, childcare=True, **fields,
        )
        titles = titles or {"ky": "Бюджет боюнча угуу", "ru": "Слушания по бюджету"}
        hearing.texts = [HearingText(locale=code, title=title) for code, title in titles.items()]
        if state != "draft":
            hearing.announced_at = utcnow()
        db.session.add(hearing)
        db.session.commit()
        return hearing


def csrf_token(client, path="/") -> str:
    """The CSRF token of the client's session, read from a rendered form."""
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def post(client, url, data=None, **kwargs):
    """POST with the session's CSRF token, as a browser form would."""
    data = dict(data or {})
    data.setdefault("csrf_token", csrf_token(client))
    return client.post(url, data=data, **kwargs)


def login(client, username, password=PASSWORD):
    """Log `client` in through the login form."""
    return post(client, "/login", {"username": username, "password": password})
