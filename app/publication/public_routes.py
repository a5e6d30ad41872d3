"""Public results, the citizens' summary and open data of a published hearing."""

import json

from flask import Response, render_template
from flask_babel import force_locale
from markupsafe import Markup

from app.hearings.outputs import absolute_url
from app.proposals.labels import STATUS_LABELS
from app.publication import bp, opendata
from app.publication.chart import attendance_chart
from app.publication.results import minutes_links, public_results, published_hearing
from app.registration.desk_forms import GENDER_GROUPS
from app.voting.clerk_forms import HAND_COLUMNS, RULE_LABELS

LABELS = {"GENDER_GROUPS": GENDER_GROUPS, "STATUS_LABELS": STATUS_LABELS, "RULE_LABELS": RULE_LABELS,
          "HAND_COLUMNS": HAND_COLUMNS, "zip": zip}  # fmt: skip


@bp.route("/h/<code>/results")
def results(code):
    """The published outcome: facts, attendance chart and table, votes, decisions, checklist, corrections."""
    hearing = published_hearing(code)
    data = public_results(hearing)
    languages = list(dict.fromkeys([*hearing.municipality.language_list, "en"]))
    return render_template("publication/public/results.html", hearing=hearing, municipality=hearing.municipality,
                           r=data, chart=attendance_chart(data), minutes=minutes_links(hearing, languages),
                           **LABELS)  # fmt: skip


@bp.route("/h/<code>/summary")
def summary(code):
    """One printable page in plain language, once in each of the municipality's languages."""
    hearing = published_hearing(code)
    data = public_results(hearing)
    links = opendata.files(hearing.public_code) | {
        "tracking": absolute_url("proposals.list", slug=hearing.municipality.slug, hearing=hearing.id)}
    blocks = []
    for locale in hearing.municipality.language_list:
        with force_locale(locale):
            block = render_template("publication/public/_summary_block.html", hearing=hearing, r=data,
                                    locale=locale, links=links, **LABELS)  # fmt: skip
            blocks.append((locale, Markup(block)))
    return render_template("publication/public/summary.html", hearing=hearing, municipality=hearing.municipality,
                           blocks=blocks)  # fmt: skip


def _download(body: str, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Access-Control-Allow-Origin"] = "*"  # open data: anyone's tools may read it
    response.headers["X-Content-Type-Options"] = "nosniff"  # shown inline: never sniffed into HTML
    return response


@bp.route("/h/<code>/results.json")
def results_json(code):
    """The published record as JSON, schema v1."""
    hearing = published_hearing(code)
    body = json.dumps(opendata.results_json(public_results(hearing)), ensure_ascii=False, indent=1)
    return _download(body, "application/json", f"hearing-{hearing.public_code}.json")


@bp.route("/h/<code>/results.csv")
def results_csv(code):
    """Every published figure, one per row (long format), UTF-8 with a byte order mark."""
    hearing = published_hearing(code)
    body = opendata.results_csv(public_results(hearing))
    return _download(body, "text/csv", f"hearing-{hearing.public_code}.csv")


@bp.route("/h/<code>/results.pb")
def results_pb(code):
    """The ballots as a pabulib file, without voters' sex and age band."""
    hearing = published_hearing(code)
    return _download(opendata.export_public_pb(hearing), "text/plain", f"hearing-{hearing.public_code}.pb")


@bp.route("/open-data/schema")
def schema():
    """What the open data files hold, field by field, and how suppressed figures are written."""
    return render_template("publication/public/schema.html", schema_url=opendata.schema_url(),
                           version=opendata.SCHEMA_VERSION, columns=opendata.CSV_COLUMNS)  # fmt: skip
