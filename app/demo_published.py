"""Demo data: a budget report hearing held last week in Kumbel, published, so that a newcomer sees results."""

from datetime import datetime, time, timedelta

from app.consultations.models import Consultation, ConsultationCount
from app.extensions import db
from app.hearings.models import AgendaItem, Hearing, HearingText
from app.minutes import service as minutes
from app.organisations.models import Organisation
from app.proposals import service as proposals
from app.publication import service as publication
from app.registration import service as registration
from app.rules.codes import new_code
from app.timeutil import local_to_utc, utc_to_local, utcnow
from app.voting import service as voting

# (gender, age band position, village position, how many) of the people who came.
ATTENDANCE = [("female", 1, 0, 9), ("female", 2, 1, 8), ("female", 3, 2, 5), ("male", 1, 0, 7), ("male", 2, 0, 11),
              ("male", 3, 3, 6), ("undisclosed", 2, 4, 2)]  # fmt: skip
PROPOSALS = [  # title, category, beneficiaries, from the WAG, hands for (women, men), against (women, men)
    ("Ак-Булак мектебине таза суу / Чистая вода в школу Ак-Булак", "water_supply", ["women", "girls"], True,
     (20, 19), (0, 3)),
    ("Кара-Ой көчөсүнө жарык / Освещение улицы в Кара-Ой", "street_lighting", ["everyone"], False, (15, 14), (5, 9)),
    ("Ашкана жабдуулары / Оборудование для столовой", "other", ["children"], False, (4, 5), (14, 17)),
]


def load_published_hearing(kumbel, clerk) -> Hearing:
    """Hold, count and publish a hearing on last year's budget report, six days ago."""
    tz = kumbel.timezone
    day = utc_to_local(utcnow(), tz).date() - timedelta(days=6)
    hearing = Hearing(
        municipality=kumbel, public_code=new_code(6), kind="budget_report", state="announced",
        starts_at=local_to_utc(datetime.combine(day, time(10, 0)), tz),
        ends_at=local_to_utc(datetime.combine(day, time(12, 0)), tz), venue="Kumbel aiyl okmotu, assembly hall",
        settlement=kumbel.settlements[0], step_free=True, childcare=True, interpretation=False,
        currency=kumbel.currency, announced_at=utcnow() - timedelta(days=20),
        chair="Айгүл Асанова, айыл өкмөтүнүн башчысы", secretary="Нурбек Токтогулов",
        presentations="2025-жылдын бюджетинин аткарылышы / Исполнение бюджета 2025 года",
    )  # fmt: skip
    hearing.texts = [HearingText(locale="ky", title="2025-жылдын бюджетинин аткарылышы боюнча угуу"),
                     HearingText(locale="ru", title="Слушания по исполнению бюджета 2025 года")]  # fmt: skip
    hearing.agenda = [AgendaItem(position=0, text="Отчёт об исполнении бюджета / Бюджеттин аткарылышы")]
    wag = Organisation(municipality_id=kumbel.id, name="Ак-Булак аялдар тобу", kind="wag")
    db.session.add_all([hearing, wag])
    db.session.flush()
    _consultation(hearing, wag, day - timedelta(days=8))
    bands, villages = kumbel.age_bands, kumbel.settlements
    for gender, band, village, count in ATTENDANCE:
        details = registration.PersonDetails(gender=gender, age_band_id=bands[band].id,
                                             settlement_id=villages[village].id)  # fmt: skip
        for _ in range(count):
            registration.walk_in(hearing, details, clerk)
    items = []
    for title, category, beneficiaries, from_wag, yes, no in PROPOSALS:
        proposal = proposals.submit(hearing, {"title": title, "category": category, "beneficiaries": beneficiaries},
                                    source="floor", organisation=wag if from_wag else None, user=clerk)  # fmt: skip
        proposals.admit(proposal, clerk)
        items.append((proposal, yes, no))
    voting.open_voting(hearing, clerk)
    for proposal, (women_for, men_for), (women_against, men_against) in items:
        voting.record_hands(hearing, f"proposal:{proposal.id}", {"female": (women_for, women_against, 0),
                                                                  "male": (men_for, men_against, 0)}, clerk)
    _questions(hearing, clerk)
    voting.close_voting(hearing, clerk)
    proposals.record_answer(items[0][0], "2027-жылдын бюджетине киргизилет. / Будет включено в бюджет 2027 года.",
                            clerk)  # fmt: skip
    unmet = [check.id for check in publication.requirement_checks(hearing) if not check.met]
    publication.publish(hearing, {req: "Демо / Демонстрация" for req in unmet}, clerk)
    return hearing


def _consultation(hearing: Hearing, wag: Organisation, held_on) -> None:
    consultation = Consultation(hearing_id=hearing.id, held_on=held_on, place="Ак-Булак мектеби", kind="wag_meeting",
                                organisation=wag)  # fmt: skip
    band = hearing.municipality.age_bands[2].id
    consultation.counts = [ConsultationCount(gender="female", age_band_id=band, count=17)]
    db.session.add(consultation)
    db.session.flush()


def _questions(hearing: Hearing, clerk) -> None:
    bands = hearing.municipality.age_bands
    for gender, band, text, answer in (
        ("female", 1, "Мектепке суу качан келет? / Когда в школе будет вода?", "Майда / В мае"),
        ("male", 2, "Жолдорду ким оңдойт? / Кто отремонтирует дороги?", "Райондук бюджет / Районный бюджет"),
        ("female", 2, "Балдар бакчасы качан ачылат? / Когда откроется детский сад?", "Күзүндө / Осенью"),
    ):
        asker = minutes.Asker(gender, bands[band].id)
        minutes.add_question(hearing, text, asker, "Айгүл Асанова", answer, clerk)
