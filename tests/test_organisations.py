"""The organisation registry: clerks and admins add, observers look, other municipalities see nothing."""

import html as html_lib
import re

import pytest

from app.audit.models import AuditEvent
from app.extensions import db
from app.municipalities.models import Municipality
from app.organisations.models import Organisation
from tests.helpers import login, post

URL = "/manage/kumbel/organisations"


@pytest.fixture
def kumbel(make):
    kumbel = make.municipality()
    make.user("aigul", kumbel, "clerk")
    make.user("bakyt", kumbel, "observer")
    make.user("cholpon", kumbel, "admin")
    yangiyol = make.municipality("UZ", "yangiyol", "Yangiyol", settlements=("Navbahor",))
    make.user("dilnoza", yangiyol, "clerk")
    return kumbel


def organisations():
    return db.session.scalars(db.select(Organisation).order_by(Organisation.id)).all()


def error_of(response, field):
    match = re.search(rf'id="{field}-error" role="alert">(.*?)</p>', response.get_data(as_text=True), re.S)
    return html_lib.unescape(match.group(1)) if match else None


@pytest.mark.parametrize("username", ["aigul", "cholpon"])
def test_clerk_and_admin_add_an_organisation(client, kumbel, username):
    login(client, username)
    response = post(client, URL, {"name": "  Kumbel   women's group ", "kind": "wag"})
    assert response.status_code == 303
    [organisation] = organisations()
    assert (organisation.municipality_id, organisation.name, organisation.kind) == (
        kumbel.id,
        "Kumbel women's group",
        "wag",
    )
    assert db.session.scalar(db.select(AuditEvent.action).order_by(AuditEvent.id.desc())) == "organisation.create"
    html = html_lib.unescape(client.get(URL).get_data(as_text=True))
    assert "Kumbel women's group" in html and "Women's action group" in html


def test_a_name_already_listed_is_refused_next_to_the_field(client, kumbel):
    login(client, "aigul")
    post(client, URL, {"name": "Jashtar", "kind": "youth_group"})
    response = post(client, URL, {"name": "JASHTAR ", "kind": "cso"})
    assert response.status_code == 422
    assert "already listed" in error_of(response, "name")
    assert [o.name for o in organisations()] == ["Jashtar"]


def test_the_same_name_may_exist_in_another_municipality(client, kumbel):
    login(client, "aigul")
    post(client, URL, {"name": "Initiative", "kind": "initiative_group"})
    post(client, "/logout")
    login(client, "dilnoza")
    assert post(client, "/manage/yangiyol/organisations", {"name": "Initiative", "kind": "cso"}).status_code == 303
    assert len(organisations()) == 2


@pytest.mark.parametrize(
    "data, field",
    [
        ({"name": "", "kind": "wag"}, "name"),
        ({"name": "   ", "kind": "wag"}, "name"),
        ({"name": "x" * 201, "kind": "wag"}, "name"),
        ({"name": "Group", "kind": "political_party"}, "kind"),
        ({"name": "Group"}, "kind"),
    ],
)
def test_bad_input_adds_nothing(client, kumbel, data, field):
    login(client, "aigul")
    response = post(client, URL, data)
    assert response.status_code == 422
    assert error_of(response, field)
    assert organisations() == []


def test_observer_sees_the_list_but_cannot_add(client, kumbel):
    db.session.add(Organisation(municipality_id=kumbel.id, name="Kumbel WAG", kind="wag"))
    db.session.commit()
    login(client, "bakyt")
    html = client.get(URL).get_data(as_text=True)
    assert "Kumbel WAG" in html and 'name="kind"' not in html
    assert post(client, URL, {"name": "Sneaky", "kind": "cso"}).status_code == 403
    assert [o.name for o in organisations()] == ["Kumbel WAG"]


def test_other_municipalities_and_anonymous_visitors_are_kept_out(client, kumbel):
    response = client.get(URL)
    assert response.status_code == 302 and "/login" in response.location
    login(client, "dilnoza")
    assert client.get(URL).status_code == 403
    assert post(client, URL, {"name": "Sneaky", "kind": "cso"}).status_code == 403
    assert organisations() == []


def test_form_without_csrf_token_is_refused(client, kumbel):
    login(client, "aigul")
    assert client.post(URL, data={"name": "Group", "kind": "wag"}).status_code == 400
    assert organisations() == []


def test_the_municipality_menu_links_to_the_registry(client, kumbel):
    login(client, "bakyt")
    assert f'href="{URL}"' in client.get("/manage/kumbel/hearings").get_data(as_text=True)


def test_an_added_organisation_is_offered_on_the_registration_form(client, make, kumbel):
    hearing = make.hearing(kumbel, state="announced")
    assert 'name="organisation_id"' not in client.get(f"/h/{hearing.public_code}/register").get_data(as_text=True)
    login(client, "aigul")
    post(client, URL, {"name": "Ak-Bulak youth", "kind": "youth_group"})
    html = client.get(f"/h/{hearing.public_code}/register").get_data(as_text=True)
    assert 'name="organisation_id"' in html and "Ak-Bulak youth" in html


# -- contact, members, the edit page and the private tracking link ----------------------------------------------
def edit_url(organisation):
    return f"{URL}/{organisation.id}"


@pytest.fixture
def wag(kumbel):
    organisation = Organisation(municipality_id=kumbel.id, name="Kumbel WAG", kind="wag")
    db.session.add(organisation)
    db.session.commit()
    return organisation


def test_contact_email_and_members_are_recorded_when_adding(client, kumbel):
    login(client, "aigul")
    data = {"name": "Ak-Bulak women", "kind": "wag", "contact_email": " wag@example.kg ", "members_female": "23",
            "members_male": "0"}  # fmt: skip
    assert post(client, URL, data).status_code == 303
    [organisation] = organisations()
    assert (organisation.contact_email, organisation.members_female, organisation.members_male) == (
        "wag@example.kg", 23, 0)  # fmt: skip
    assert "Members: 23 women, 0 men" in client.get(URL).get_data(as_text=True)


def test_a_clerk_edits_an_organisation_and_the_change_is_logged(client, wag):
    login(client, "aigul")
    assert client.get(URL).get_data(as_text=True).count(f'href="{edit_url(wag)}"') == 1
    data = {"name": "Kumbel women's action group", "kind": "wag", "contact_email": "kumbel.wag@example.kg",
            "members_female": "31", "members_male": ""}  # fmt: skip
    response = post(client, edit_url(wag), data)
    assert response.status_code == 303 and response.location.endswith(edit_url(wag))
    db.session.refresh(wag)
    assert (wag.name, wag.contact_email, wag.members_female, wag.members_male) == (
        "Kumbel women's action group", "kumbel.wag@example.kg", 31, None)  # fmt: skip
    event = db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "organisation.edit"
    assert (event.before["contact_email"], event.after["members_female"]) == (None, 31)


@pytest.mark.parametrize("overrides, field, message", [
    ({"contact_email": "wag.example.kg"}, "contact_email", "Invalid email address."),
    ({"contact_email": "wag@example"}, "contact_email", "Invalid email address."),
    ({"contact_email": "two words@example.kg"}, "contact_email", "Invalid email address."),
    ({"members_female": "-1"}, "members_female", "Number must be between 0 and 1000000."),
    ({"members_male": "many"}, "members_male", "Not a valid integer value."),
    ({"name": ""}, "name", "This field is required."),
    ({"name": "jashtar"}, "name", "already listed"),
    ({"kind": "party"}, "kind", "Not a valid choice."),
])  # fmt: skip
def test_bad_edits_are_refused_next_to_the_field_and_change_nothing(client, kumbel, wag, overrides, field, message):
    db.session.add(Organisation(municipality_id=kumbel.id, name="Jashtar", kind="youth_group"))
    db.session.commit()
    login(client, "aigul")
    data = {"name": "Renamed", "kind": "cso", "contact_email": "ok@example.kg", "members_female": "3"} | overrides
    response = post(client, edit_url(wag), data)
    assert response.status_code == 422
    assert message in error_of(response, field)
    db.session.refresh(wag)
    assert (wag.name, wag.kind, wag.contact_email, wag.members_female) == ("Kumbel WAG", "wag", None, None)
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id))) == 0


def test_the_clerk_sees_the_private_tracking_link(client, wag):
    login(client, "aigul")
    html = client.get(edit_url(wag)).get_data(as_text=True)
    assert f"/track/{wag.tracking_token}" in html


def test_rotating_the_token_revokes_the_old_link(client, wag):
    old = wag.tracking_token
    assert client.get(f"/track/{old}").status_code == 200
    login(client, "aigul")
    response = post(client, f"{edit_url(wag)}/rotate-token")
    assert response.status_code == 303
    db.session.refresh(wag)
    assert wag.tracking_token != old and len(wag.tracking_token) >= 32 and wag.token_rotated_at is not None
    event = db.session.scalars(db.select(AuditEvent)).one()
    assert (event.action, event.object_type, event.object_id) == ("organisation.rotate_token", "organisation", wag.id)
    assert old not in str(event.before) + str(event.after) and wag.tracking_token not in str(event.after)
    html = client.get(edit_url(wag)).get_data(as_text=True)
    assert f"/track/{wag.tracking_token}" in html and old not in html
    assert client.get(f"/track/{old}").status_code == 404
    assert client.get(f"/track/{wag.tracking_token}").status_code == 200


def test_observers_and_other_municipalities_cannot_edit_or_rotate(client, wag):
    old = wag.tracking_token
    for username in ("bakyt", "dilnoza"):
        login(client, username)
        assert client.get(edit_url(wag)).status_code == 403, username
        assert post(client, edit_url(wag), {"name": "Sneaky", "kind": "cso"}).status_code == 403, username
        assert post(client, f"{edit_url(wag)}/rotate-token").status_code == 403, username
        post(client, "/logout")
    db.session.refresh(wag)
    assert (wag.name, wag.tracking_token) == ("Kumbel WAG", old)


def test_an_organisation_of_another_municipality_is_not_found_here(client, make, kumbel):
    yangiyol = db.session.scalars(db.select(Municipality).filter_by(slug="yangiyol")).one()
    theirs = Organisation(municipality_id=yangiyol.id, name="Navbahor women", kind="wag")
    db.session.add(theirs)
    db.session.commit()
    login(client, "aigul")
    assert client.get(f"{URL}/{theirs.id}").status_code == 404
    assert post(client, f"{URL}/{theirs.id}/rotate-token").status_code == 404
