"""Open data of a published hearing: JSON valid against its published schema, CSV in long form, suppression
that no published total undoes, and a .pb without voters' sex and age."""

import csv
import io
import json
import os
from urllib.parse import urlparse

from jsonschema import Draft202012Validator

from app.rules.pabulib import read_pb
from app.rules.suppression import SuppressedTable, recoverable
from tests.results_fixtures import ballot_hearing, hands_hearing

SCHEMA = os.path.join(os.path.dirname(os.path.dirname(__file__)), "app", "static", "open-data",
                      "results-v1.schema.json")  # fmt: skip


def _download(client, hearing, name):
    response = client.get(f"/h/{hearing.public_code}/{name}")
    assert response.status_code == 200, name
    return response


def _small(count) -> bool:
    """Published as "<5": under the threshold (a "×" is a larger count hidden with it)."""
    return count["suppressed"] and count["label"].startswith("<")


def _attendance_table(attendance) -> SuppressedTable:
    """The published table with what its labels say: which hidden counts are small."""
    genders, bands = attendance["genders"], attendance["age_bands"]
    cells = {(c["gender"], c["age_band"]): c for c in attendance["cells"]}
    grid = [[cells[g, band["label"]] for g in genders] for band in bands]
    rows, columns = attendance["by_age_band"], [attendance["by_gender"][g] for g in genders]
    primary = {("cell", r, c) for r, row in enumerate(grid) for c, cell in enumerate(row) if _small(cell)}
    primary |= {("row", r) for r, row in enumerate(rows) if _small(row)}
    primary |= {("column", c) for c, column in enumerate(columns) if _small(column)}
    return SuppressedTable(
        cells=[[cell["value"] for cell in row] for row in grid], row_totals=[row["value"] for row in rows],
        column_totals=[column["value"] for column in columns], total=attendance["total"]["value"],
        primary=frozenset(primary), threshold=attendance["threshold"],
    )  # fmt: skip


def _split_table(split, threshold) -> SuppressedTable:
    """A total and its split by gender as a one-row table whose column totals are its parts."""
    counts = list(split["by_gender"].values())
    parts = [count["value"] for count in counts]
    small = [c for c, count in enumerate(counts) if _small(count)]
    primary = frozenset([("cell", 0, c) for c in small] + [("column", c) for c in small])
    total = split["total"]["value"]
    return SuppressedTable(cells=[parts], row_totals=[total], column_totals=parts, total=total, primary=primary,
                           threshold=threshold)  # fmt: skip


def _splits(document):
    for proposal in document["proposals"]:
        if proposal["votes"]:
            yield proposal["votes"]
        yield from (proposal["hands"] or {}).values()
    if document["outcome"] and document["outcome"]["voters"]:
        yield document["outcome"]["voters"]


def _counts(node):
    """Every {"value", "suppressed"} count anywhere in the document."""
    if isinstance(node, dict):
        if set(node) >= {"value", "suppressed"}:
            yield node
        for child in node.values():
            yield from _counts(child)
    elif isinstance(node, list):
        for child in node:
            yield from _counts(child)


def test_the_json_is_valid_against_the_published_schema(client, make):
    hearing, _ = ballot_hearing(make)
    document = _download(client, hearing, "results.json").get_json()
    with client.get(urlparse(document["schema"]).path) as schema_response:
        assert schema_response.status_code == 200
        served = json.loads(schema_response.data)
    with open(SCHEMA, encoding="utf-8") as handle:
        assert served == json.load(handle)
    Draft202012Validator.check_schema(served)
    errors = [error.message for error in Draft202012Validator(served).iter_errors(document)]
    assert errors == []
    assert document["schema_version"] == "1.1" and document["hearing"]["code"] == hearing.public_code


def test_the_schema_refuses_a_suppressed_count_that_carries_a_value(client, make):
    hearing, _ = ballot_hearing(make)
    document = _download(client, hearing, "results.json").get_json()
    hidden = next(c for c in document["attendance"]["cells"] if c["suppressed"])
    hidden["value"] = 2
    with open(SCHEMA, encoding="utf-8") as handle:
        validator = Draft202012Validator(json.load(handle))
    assert list(validator.iter_errors(document))


def test_a_show_of_hands_hearing_is_valid_too(client, make):
    hearing, _ = hands_hearing(make)
    document = _download(client, hearing, "results.json").get_json()
    with open(SCHEMA, encoding="utf-8") as handle:
        assert list(Draft202012Validator(json.load(handle)).iter_errors(document)) == []
    assert document["outcome"]["rule"] == "majority" and document["outcome"]["voters"] is None


def test_no_suppressed_count_can_be_worked_out_from_the_published_totals(client, make):
    for hearing, _ in (ballot_hearing(make), hands_hearing(make)):
        document = _download(client, hearing, "results.json").get_json()
        threshold = document["attendance"]["threshold"]
        table = _attendance_table(document["attendance"])
        assert any(v is None for row in table.cells for v in row)  # something is suppressed
        assert recoverable(table) == set()
        splits = list(_splits(document))
        assert splits and any(c["suppressed"] for s in splits for c in s["by_gender"].values())
        for split in splits:
            assert recoverable(_split_table(split, threshold)) == set()
            assert split["total"]["suppressed"] is False  # vote totals are the outcome: never hidden
        shown = [*_counts(document["attendance"]), *(c for s in splits for c in s["by_gender"].values())]
        assert not [c for c in shown if not c["suppressed"] and 0 < c["value"] < threshold]


def test_the_csv_is_long_form_utf8_with_bom_and_agrees_with_the_json(client, make):
    hearing, items = ballot_hearing(make)
    response = _download(client, hearing, "results.csv")
    assert response.mimetype == "text/csv" and response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert list(rows[0]) == ["section", "proposal_id", "requirement", "gender", "age_band", "settlement", "measure",
                             "value", "suppressed"]  # fmt: skip
    document = _download(client, hearing, "results.json").get_json()
    cells = {(c["gender"], c["age_band"]): c for c in document["attendance"]["cells"]}
    attendance = [r for r in rows if r["section"] == "attendance" and "all" not in (r["gender"], r["age_band"])]
    assert len(attendance) == len(cells)
    for row in attendance:
        cell = cells[row["gender"], row["age_band"]]
        assert row["suppressed"] == str(int(cell["suppressed"]))
        assert row["value"] == ("" if cell["suppressed"] else str(cell["value"]))
    total = next(r for r in rows if r["section"] == "attendance" and r["gender"] == r["age_band"] == "all")
    assert total["value"] == "52" and total["suppressed"] == "0"
    water = {(r["gender"], r["measure"]): r["value"] for r in rows
             if r["section"] == "votes" and r["proposal_id"] == str(items["water"].id)}  # fmt: skip
    assert water["all", "supporters"] == "32" and water["female", "supporters"] == "21"
    assert water["male", "supporters"] == "0" and water["undisclosed", "supporters"] == "11"  # nothing 1 to 4
    selected = {r["proposal_id"]: r["value"] for r in rows if r["section"] == "proposal" and r["measure"] == "selected"}
    assert selected == {str(items["water"].id): "1", str(items["lights"].id): "1", str(items["park"].id): "0"}
    small = [r for r in rows if r["value"].isdigit() and 0 < int(r["value"]) < 5 and r["section"] != "proposal"
             and r["section"] != "requirement"]  # fmt: skip
    assert small == []


def test_the_public_pb_has_the_ballots_but_not_the_voters_sex_or_age(client, make):
    hearing, _ = ballot_hearing(make)
    text = _download(client, hearing, "results.pb").get_data(as_text=True)
    election = read_pb(text)
    assert len(election.voters) == 52 and [v.id for v in election.voters] == [str(n) for n in range(1, 53)]
    assert all(v.sex is None and v.age is None and not v.extra for v in election.voters)
    header = text.split("VOTES\n", 1)[1].splitlines()[0]
    assert header == "voter_id;vote"
    assert "age_band" not in text and ";F\n" not in text


def test_the_schema_page_documents_the_files_in_the_visitors_language(client, app):
    client.set_cookie("lang", "en")
    html = client.get("/open-data/schema").get_data(as_text=True)
    assert "results-v1.schema.json" in html and "suppressed" in html and "byte order mark" in html
    client.set_cookie("lang", "ru")
    assert client.get("/open-data/schema").status_code == 200
