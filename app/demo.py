"""Demo data: a Kyrgyz aiyl aimak and an Uzbek district, their people, an announced and a published hearing."""

from datetime import datetime, time, timedelta

from app.audit.service import record
from app.auth.models import Membership, User
from app.extensions import db
from app.hearings.models import AgendaItem, Hearing, HearingText
from app.municipalities.models import Municipality, Settlement
from app.rules.codes import new_code
from app.timeutil import local_to_utc, utc_to_local, utcnow

DEMO_PASSWORD = "demo-hearing-2026"

KUMBEL_VILLAGES = ["Kumbel", "Ak-Bulak", "Kara-Oi", "Chong-Tash", "Tash-Bashat"]
YANGIYOL_MAHALLAS = ["Navbahor", "Mustaqillik", "Doʻstlik", "Bogʻishamol", "Guliston", "Yangiobod"]


def _municipality(country, slug, name, region, settlements):
    municipality = Municipality.from_preset(country, slug, name, region)
    for settlement in settlements:
        municipality.settlements.append(Settlement(name=settlement))
    db.session.add(municipality)
    return municipality


def _user(username, full_name, municipality, role):
    user = User(username=username, full_name=full_name, locale=None)
    user.set_password(DEMO_PASSWORD)
    db.session.add(user)
    db.session.add(Membership(user=user, municipality_id=municipality.id, role=role))
    return user


def load_demo() -> None:
    """Create the demo municipalities, an admin and a clerk each, an announced and a published hearing."""
    kumbel = _municipality("KG", "kumbel", "Kumbel aiyl aimak", "Issyk-Kul region", KUMBEL_VILLAGES)
    yangiyol = _municipality("UZ", "yangiyol", "Yangiyoʻl tumani", "Toshkent viloyati",
                             YANGIYOL_MAHALLAS)  # fmt: skip
    db.session.flush()
    _user("admin-kumbel", "Aigul Asanova", kumbel, "admin")
    clerk = _user("clerk-kumbel", "Nurbek Toktogulov", kumbel, "clerk")
    _user("admin-yangiyol", "Dilnoza Karimova", yangiyol, "admin")
    _user("clerk-yangiyol", "Jasur Rahimov", yangiyol, "clerk")
    db.session.flush()

    day = utc_to_local(utcnow(), kumbel.timezone).date() + timedelta(days=14)
    hearing = Hearing(
        municipality=kumbel, public_code=new_code(6), kind="budget_draft", state="draft",
        starts_at=local_to_utc(datetime.combine(day, time(10, 0)), kumbel.timezone),
        ends_at=local_to_utc(datetime.combine(day, time(12, 30)), kumbel.timezone),
        venue="Kumbel aiyl okmotu, assembly hall", address="Kumbel village, Manas st. 1",
        settlement=kumbel.settlements[0], step_free=True, childcare=True, interpretation=False,
        currency=kumbel.currency,
    )  # fmt: skip
    hearing.texts = [
        HearingText(locale="ky", title="2027-жылдын жергиликтүү бюджетинин долбоору боюнча угуу",
                    description="Айыл өкмөтү 2027-жылдын бюджетинин долбоорун тааныштырат. "
                    "Суу түтүгү, жолдор жана мектеп боюнча сунуштарыңызды алып келиңиз."),
        HearingText(locale="ru", title="Слушания по проекту местного бюджета на 2027 год",
                    description="Айыл окмоту представит проект бюджета на 2027 год. "
                    "Приходите с предложениями по водопроводу, дорогам и школе."),
    ]  # fmt: skip
    hearing.agenda = [
        AgendaItem(position=0, text="Проект бюджета 2027 / 2027-жылдын бюджетинин долбоору"),
        AgendaItem(position=1, text="Предложения жителей / Тургундардын сунуштары"),
        AgendaItem(position=2, text="Вопросы и ответы / Суроолор жана жооптор"),
    ]
    db.session.add(hearing)
    db.session.flush()
    record("hearing.create", hearing, None, hearing.snapshot(), kumbel.id, user=clerk)
    before = hearing.snapshot()
    hearing.announce(utcnow())
    record("hearing.announce", hearing, before, hearing.snapshot(), kumbel.id, user=clerk)
    db.session.commit()

    from app.demo_published import load_published_hearing

    load_published_hearing(kumbel, clerk)
