"""Public page, municipality page, poster, calendar file and locale choice."""

from icalendar import Calendar

from app.extensions import db
from tests.helpers import login


def test_public_page_defaults_to_kyrgyz_for_a_kyrgyz_municipality(client, make):
    hearing = make.hearing(make.municipality(), state="announced")
    html = client.get(f"/h/{hearing.public_code}", headers={"Accept-Language": "en-US,en"}).get_data(as_text=True)
    assert '<html lang="ky">' in html
    assert "Бюджет боюнча угуу" in html
    assert "10:00" in html  # local time in Asia/Bishkek, not UTC (04:00)


def test_language_cookie_beats_the_municipality_default(client, make):
    hearing = make.hearing(make.municipality(), state="announced")
    client.set_cookie("lang", "ru")
    html = client.get(f"/h/{hearing.public_code}").get_data(as_text=True)
    assert '<html lang="ru">' in html
    assert "<h1 lang=\"ru\">Слушания по бюджету</h1>" in html


def test_pages_without_a_municipality_follow_accept_language(client):
    assert '<html lang="ru">' in client.get("/", headers={"Accept-Language": "ru-RU,ru;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in client.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)


def test_uzbek_municipality_formats_money_and_time_in_tashkent(client, make):
    yangiyol = make.municipality("UZ", "yangiyol", "Yangiyoʻl", settlements=("Navbahor",))
    hearing = make.hearing(yangiyol, kind="participatory_budget", envelope=1_500_000_000,
                           titles={"uz": "Tashabbusli budjet"})  # fmt: skip
    html = client.get(f"/h/{hearing.public_code}").get_data(as_text=True)
    assert '<html lang="uz">' in html
    assert "1\xa0500\xa0000\xa0000" in html and "UZS" in html or "soʻm" in html
    assert "10:00" in html


def test_draft_hearings_are_not_public(client, make):
    hearing = make.hearing(make.municipality(), state="draft")
    for path in ("", "/poster", "/calendar.ics"):
        assert client.get(f"/h/{hearing.public_code}{path}").status_code == 404
    assert "Бюджет боюнча угуу" not in client.get("/m/kumbel").get_data(as_text=True)


def test_municipality_page_lists_upcoming_and_past_hearings(client, make):
    kumbel = make.municipality()
    make.hearing(kumbel, state="announced", days=10, titles={"ky": "Келе турган угуу"})
    make.hearing(kumbel, state="announced", days=-30, titles={"ky": "Өткөн угуу"})
    html = client.get("/m/kumbel").get_data(as_text=True)
    assert html.index("Келе турган угуу") < html.index("Өткөн угуу")
    assert client.get("/m/nowhere").status_code == 404


def test_poster_has_two_languages_side_by_side_and_a_qr_code(client, make):
    hearing = make.hearing(make.municipality(), state="announced")
    html = client.get(f"/h/{hearing.public_code}/poster").get_data(as_text=True)
    assert 'class="poster-column" lang="ky"' in html and 'class="poster-column" lang="ru"' in html
    assert "<svg" in html and "<path" in html
    assert f"http://localhost/h/{hearing.public_code}" in html
    assert "http://" not in html.replace(f"http://localhost/h/{hearing.public_code}", "").replace(
        "http://www.w3.org/2000/svg", "")


def test_poster_uses_the_configured_public_address(client, make, app):
    hearing = make.hearing(make.municipality(), state="announced")
    app.config["PUBLIC_BASE_URL"] = "https://hearings.example.kg"
    try:
        html = client.get(f"/h/{hearing.public_code}/poster").get_data(as_text=True)
    finally:
        app.config["PUBLIC_BASE_URL"] = None
    assert f"https://hearings.example.kg/h/{hearing.public_code}" in html


def test_calendar_file_has_the_utc_times_and_the_link(client, make):
    hearing = make.hearing(make.municipality(), state="announced")
    response = client.get(f"/h/{hearing.public_code}/calendar.ics")
    assert response.headers["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(response.data).walk("VEVENT")[0]
    assert event.decoded("dtstart").replace(tzinfo=None) == hearing.starts_at
    assert str(event["summary"]) == "Бюджет боюнча угуу"
    assert hearing.public_code in str(event["url"])


def test_cancelled_hearing_shows_its_reason_publicly_and_in_the_calendar(client, make):
    hearing = make.hearing(make.municipality(), state="cancelled", state_reason="Дорога закрыта")
    assert "Дорога закрыта" in client.get(f"/h/{hearing.public_code}").get_data(as_text=True)
    event = Calendar.from_ical(client.get(f"/h/{hearing.public_code}/calendar.ics").data).walk("VEVENT")[0]
    assert str(event["status"]) == "CANCELLED"


def test_user_profile_language_applies_after_login(client, make):
    make.user("aigul", make.municipality(), locale="ky")
    login(client, "aigul")
    assert '<html lang="ky">' in client.get("/manage/kumbel/hearings").get_data(as_text=True)
    assert db.session is not None
