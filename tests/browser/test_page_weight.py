"""Page weight: each citizen page, with everything it loads, stays under 60 KB on the wire, and asks no
other host for anything.

Each page is opened in a new browser context (an empty cache, as a citizen's first visit) on a phone-sized
screen, and every request it makes until the network is idle is recorded. The bytes counted are those Chromium
itself received for each response: its headers plus its body as sent, that is compressed when the server
compressed it (Playwright's `request.sizes()`, from the DevTools protocol's encoded data length). That is what
a citizen's mobile data plan pays for; the uncompressed size is printed beside it.
"""

from decimal import Decimal
from urllib.parse import urlparse

import pytest

from app.registration import service as registration
from app.registration.service import PersonDetails
from app.voting import service as voting
from tests.results_fixtures import add_projects, check_in_crowd, publish

pytestmark = pytest.mark.browser

BUDGET_KB = 60
PHONE = {"width": 360, "height": 640}
# A village's participatory budget: a dozen projects on the ballot and in the results.
PROJECTS = tuple((f"Project {n}: repair of the water pipe on street {n}", 50_000 + 10_000 * n) for n in range(1, 13))


@pytest.fixture
def citizen_pages(make):
    """The addresses of the five citizen pages, on the Kyrgyz-language municipality of Kumbel."""
    municipality = make.municipality(settlements=("Kumbel", "Ak-Bulak", "Tamga"))
    clerk = make.user("clerk", municipality, "clerk")
    announced = make.hearing(municipality, state="announced")
    band = municipality.age_bands[1].id
    ticket = registration.register(announced, PersonDetails(gender="female", age_band_id=band))

    voting_now = make.hearing(municipality, kind="participatory_budget", envelope=Decimal(500_000))
    add_projects(voting_now, clerk, PROJECTS)
    voter = registration.walk_in(voting_now, PersonDetails(gender="female", age_band_id=band), clerk).participant
    voting.configure(voting_now, {"ballot_kind": "approval", "rule": "greedy"}, clerk)
    voting.open_voting(voting_now, clerk)

    published = make.hearing(municipality, kind="participatory_budget", envelope=Decimal(500_000))
    projects = add_projects(published, clerk, PROJECTS)
    voting.configure(published, {"ballot_kind": "approval", "rule": "greedy"}, clerk)
    people = check_in_crowd(published, clerk)
    voting.open_voting(published, clerk)
    for n, person in enumerate(people):
        voting.cast(published, person, {projects[n % len(projects)].id: 1, projects[(n * 5) % len(projects)].id: 1})
    voting.close_voting(published, clerk)
    publish(published)
    return {
        "hearing": f"/h/{announced.public_code}",
        "registration": f"/h/{announced.public_code}/register",
        "ticket": f"/t/{ticket.token}",
        "ballot": f"/t/{voter.token}/ballot",
        "results": f"/h/{published.public_code}/results",
    }


def weigh(browser, url):
    """Open `url` with a cold cache; every request as (url, bytes received, bytes decoded, content-encoding)."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="en-US")
    asked, finished, failed = [], [], []
    context.on("request", lambda request: asked.append(request.url))
    context.on("requestfinished", lambda request: finished.append(request))
    context.on("requestfailed", lambda request: failed.append(f"{request.url}: {request.failure}"))
    try:
        page = context.new_page()
        response = page.goto(url, wait_until="networkidle")
        assert response.status == 200, f"{url}: {response.status}"
        rows = []
        for request in finished:
            sizes = request.sizes()
            answer = request.response()
            encoding = answer.header_value("content-encoding") or "-"
            length = answer.header_value("content-length")
            received = sizes["responseHeadersSize"] + sizes["responseBodySize"]
            if length is not None:  # the body counted is the body as sent: compressed when it was
                assert sizes["responseBodySize"] == int(length), f"{request.url}: {sizes} vs {length}"
            rows.append((request.url, received, len(answer.body()), encoding))
    finally:
        context.close()
    return asked, failed, rows


def report(weights):
    """A table of every page and its requests, in KB."""
    lines = []
    for name, rows in weights.items():
        total, decoded = sum(r[1] for r in rows), sum(r[2] for r in rows)
        lines.append(f"{name:<13} {total / 1024:6.1f} KB on the wire ({decoded / 1024:.1f} KB decoded), "
                     f"{len(rows)} requests")  # fmt: skip
        for url, received, body, encoding in rows:
            lines.append(f"    {received / 1024:6.1f} KB  {body / 1024:6.1f} KB  {encoding:<5} {urlparse(url).path}")
    return "\n".join(lines)


def test_every_citizen_page_transfers_under_60_kb_and_asks_only_this_site(server, browser, citizen_pages, artifacts):
    app_host = urlparse(server.url()).netloc
    weights, elsewhere, failures = {}, [], []
    for name, path in citizen_pages.items():
        asked, failed, rows = weigh(browser, server.url(path))
        elsewhere += [url for url in asked if urlparse(url).netloc != app_host]
        failures += failed
        weights[name] = rows
    table = report(weights)
    (artifacts / "page-weight.txt").write_text(table + "\n", encoding="utf-8")
    print("\n" + table)
    assert not elsewhere, f"requests to another host: {elsewhere}"
    assert not failures, f"failed requests: {failures}"
    for name, rows in weights.items():
        paths = {urlparse(url).path for url, *_ in rows}
        assert "/static/css/app.css" in paths and "/static/vendor/htmx-2.0.11/htmx.min.js" in paths, (name, paths)
    totals = {name: sum(received for _, received, _, _ in rows) for name, rows in weights.items()}
    assert all(total < BUDGET_KB * 1024 for total in totals.values()), f"over {BUDGET_KB} KB:\n{table}"


def test_the_next_page_takes_every_static_file_from_the_cache(server, browser, citizen_pages):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="en-US")
    finished = []
    context.on("requestfinished", lambda request: finished.append(request))
    try:
        page = context.new_page()
        page.goto(server.url(citizen_pages["hearing"]), wait_until="networkidle")
        first = list(finished)
        finished.clear()
        page.goto(server.url(citizen_pages["registration"]), wait_until="networkidle")
        # a response from the browser's cache has no bytes on the wire (headers and body add up to 0)
        received = {urlparse(r.url).path: r.sizes()["responseHeadersSize"] + r.sizes()["responseBodySize"]
                    for r in finished}  # fmt: skip
    finally:
        context.close()
    static = {path for path in received if path.startswith("/static/")}
    assert static == {urlparse(r.url).path for r in first if "/static/" in r.url}, received
    assert all(received[path] == 0 for path in static), received
    assert received[citizen_pages["registration"]] > 0
