"""An admin edits the requirement figures, age bands, settlements and roles."""

import pytest

from app.audit.models import AuditEvent
from app.auth.models import Membership, User
from app.extensions import db
from app.municipalities.models import AgeBand, Municipality, Settlement
from app.municipalities.service import settings_snapshot
from tests.helpers import login, post


@pytest.fixture
def admin(client, make):
    kumbel = make.municipality()
    make.user("aigul", kumbel, "admin")
    login(client, "aigul")
    return kumbel


def settings_data(municipality, **overrides):
    data = settings_snapshot(municipality)
    form = {key: value for key, value in data.items() if not isinstance(value, (bool, list))}
    form["window_start"] = data["window_start"].strftime("%H:%M")
    form["window_end"] = data["window_end"].strftime("%H:%M")
    for key in ("languages", "required_languages", "market_days"):
        form[key] = data[key]
    for key, value in data.items():
        if value is True:
            form[key] = "y"
    form.update(overrides)
    return form


def test_kyrgyz_preset_sets_languages_currency_timezone_and_youth_bands(make):
    kumbel = make.municipality()
    assert (kumbel.language_list, kumbel.currency, kumbel.timezone) == (["ky", "ru"], "KGS", "Asia/Bishkek")
    assert [(b.label, b.is_youth) for b in kumbel.age_bands][:2] == [("14-17", True), ("18-35", True)]
    assert (kumbel.notice_days, kumbel.women_share_target, kumbel.small_cell_threshold) == (10, 30, 5)
    yangiyol = make.municipality("UZ", "yangiyol", "Yangiyol")
    assert (yangiyol.default_locale, yangiyol.currency, yangiyol.required_language_list) == ("uz", "UZS", ["uz"])
    assert yangiyol.age_bands[1].label == "18-30"


def test_admin_changes_every_requirement_figure(client, admin):
    data = settings_data(admin, notice_days="14", women_share_target="40", window_end="16:00",
                         market_days=["5"], publish_within_days="5")  # fmt: skip
    data.pop("consultation_required")
    response = post(client, "/manage/kumbel/settings", data)
    assert response.status_code == 302
    saved = db.session.scalars(db.select(Municipality)).one()
    assert (saved.notice_days, saved.women_share_target, saved.window_end_minute) == (14, 40, 960)
    assert saved.market_day_list == [5] and saved.consultation_required is False
    event = db.session.scalars(db.select(AuditEvent)).one()
    assert event.before["notice_days"] == 10 and event.after["notice_days"] == 14


@pytest.mark.parametrize("overrides, message", [
    ({"women_share_target": "130"}, "Number must be between 0 and 100."),
    ({"window_end": "08:00"}, "The end must be later than the start."),
    ({"languages": []}, "Choose at least one language."),
    ({"default_locale": "uz"}, "The default language must be one of the languages above."),
    ({"notice_days": "ten"}, "Not a valid integer value."),
])  # fmt: skip
def test_bad_settings_are_refused_and_nothing_changes(client, admin, overrides, message):
    response = post(client, "/manage/kumbel/settings", settings_data(admin, **overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Municipality.notice_days)) == 10
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id))) == 0


def test_age_bands_are_replaced_and_overlaps_refused(client, admin):
    rows = {"bands-0-label": "14-29", "bands-0-min_age": "14", "bands-0-max_age": "29", "bands-0-is_youth": "y",
            "bands-1-label": "30+", "bands-1-min_age": "30"}  # fmt: skip
    assert post(client, "/manage/kumbel/age-bands", rows).status_code == 302
    assert db.session.scalars(db.select(AgeBand.label).order_by(AgeBand.position)).all() == ["14-29", "30+"]
    overlap = rows | {"bands-1-min_age": "25"}
    response = post(client, "/manage/kumbel/age-bands", overlap)
    assert response.status_code == 422 and "Age bands must not overlap." in response.get_data(as_text=True)
    assert db.session.scalars(db.select(AgeBand.label).order_by(AgeBand.position)).all() == ["14-29", "30+"]


def test_settlements_are_unique_per_municipality(client, admin):
    assert post(client, "/manage/kumbel/settlements", {"name": "Ak-Bulak"}).status_code == 302
    response = post(client, "/manage/kumbel/settlements", {"name": "Ak-Bulak"})
    assert response.status_code == 422 and "This settlement already exists." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Settlement.id))) == 2


def test_settlement_used_by_a_hearing_cannot_be_removed(client, admin, make):
    make.hearing(admin, settlement_id=admin.settlements[0].id)
    response = post(client, f"/manage/kumbel/settlements/{admin.settlements[0].id}/delete", follow_redirects=True)
    assert "This settlement is in use and cannot be removed." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Settlement.id))) == 1


def test_admin_creates_a_clerk_who_can_then_log_in(client, admin, app):
    response = post(client, "/manage/kumbel/members",
                    {"username": "Nurbek", "full_name": "Nurbek T.", "password": "long-enough-pw", "role": "clerk"})
    assert response.status_code == 302
    membership = db.session.scalars(db.select(Membership).join(User).filter(User.username == "nurbek")).one()
    assert membership.role == "clerk"
    other = app.test_client()
    assert login(other, "nurbek", "long-enough-pw").status_code == 302


def test_new_user_without_password_is_refused(client, admin):
    response = post(client, "/manage/kumbel/members", {"username": "newbie", "role": "clerk"})
    assert response.status_code == 422
    assert "A new user needs a password" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1


def test_admin_cannot_remove_her_own_role(client, admin):
    own = db.session.scalars(db.select(Membership)).one()
    response = post(client, f"/manage/kumbel/members/{own.id}/delete", follow_redirects=True)
    assert "You cannot remove your own role." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Membership.id))) == 1
