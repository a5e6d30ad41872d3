"""The organisation registry: clerks and admins add, observers look, other municipalities see nothing."""

import html as html_lib
import re

import pytest

from app.audit.models import AuditEvent
from app.extensions import db
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
