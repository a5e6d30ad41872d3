"""Open data of a published hearing: JSON and CSV in schema v1, and the pabulib .pb without voter details.

Schema v1 (documented at /open-data/schema and in static/open-data/results-v1.schema.json):
a suppressed count is {"value": null, "suppressed": true, "label": "<5"} (small) or "label": "×" (a larger count
hidden with a small one); a shown one is {"value": 17, "suppressed": false}.
"""

import csv
import io
from datetime import UTC
from zoneinfo import ZoneInfo

from flask import url_for

from app.hearings.outputs import absolute_url
from app.publication.results import ProposalResult, Results
from app.rules import disclosure
from app.voting.pabulib_io import export_pb

SCHEMA_VERSION = "1.1"  # 1.1 added audit_seal
SCHEMA_FILE = "open-data/results-v1.schema.json"
CSV_COLUMNS = ("section", "proposal_id", "requirement", "gender", "age_band", "settlement", "measure", "value",
               "suppressed")  # fmt: skip
ALL = "all"  # a dimension summed over: the total of a row or column


def _count(value: int | None, label: str | None = None) -> dict:
    """A published count; a suppressed one also says how it is shown: "<5" (small) or "×" (hidden with one)."""
    if value is None:
        return {"value": None, "suppressed": True, "label": label or "×"}
    return {"value": value, "suppressed": False}


def _labelled(label: str) -> dict:
    return _count(int(label) if label.isdigit() else None, label)


def _split(split: disclosure.Split) -> dict:
    return {"total": _count(split.total),
            "by_gender": {g: _count(v, split.labels[g]) for g, v in split.parts.items()}}  # fmt: skip


def _iso(hearing, moment) -> str | None:
    """A stored naive-UTC moment as local time with its offset, to the second."""
    if moment is None:
        return None
    local = moment.replace(tzinfo=UTC, microsecond=0).astimezone(ZoneInfo(hearing.municipality.timezone))
    return local.isoformat()


def _hearing(results: Results) -> dict:
    hearing = results.hearing
    municipality = hearing.municipality
    return {
        "code": hearing.public_code,
        "url": absolute_url("hearings.public_page", code=hearing.public_code),
        "results_url": absolute_url("publication.results", code=hearing.public_code),
        "kind": hearing.kind,
        "titles": {text.locale: text.title for text in hearing.texts},
        "municipality": {"name": municipality.name, "slug": municipality.slug, "region": municipality.region,
                         "country": municipality.country},  # fmt: skip
        "timezone": municipality.timezone,
        "starts_at": _iso(hearing, hearing.starts_at),
        "ends_at": _iso(hearing, hearing.ends_at),
        "venue": hearing.venue,
        "address": hearing.address,
        "chair": hearing.chair,
        "secretary": hearing.secretary,
        "currency": hearing.currency,
        "envelope": int(hearing.envelope) if hearing.envelope is not None else None,
        "published_at": _iso(hearing, hearing.published_at),
    }


def _attendance(results: Results) -> dict:
    figures, table = results.figures, results.figures.table
    bands = [{"id": band_id, "label": label} for band_id, label in figures.bands]
    cells = [
        {"gender": gender, "age_band": band["label"], **_count(value, table.label(("cell", r, c)))}
        for r, (band, row) in enumerate(zip(bands, table.cells, strict=True))
        for c, (gender, value) in enumerate(zip(results.genders, row, strict=True))
    ]  # fmt: skip
    return {
        "threshold": figures.threshold,
        "genders": results.genders,
        "age_bands": bands,
        "total": _count(table.total, table.label(("total",))),
        "cells": cells,
        "by_gender": {g: _count(v, table.label(("column", c)))
                      for c, (g, v) in enumerate(zip(results.genders, table.column_totals, strict=True))},
        "by_age_band": [{"age_band": b["label"], **_count(v, table.label(("row", r)))}
                        for r, (b, v) in enumerate(zip(bands, table.row_totals, strict=True))],
        "by_settlement": [{"settlement": name, **_labelled(label)} for name, label in figures.settlements],
    }  # fmt: skip


def _proposal(row: ProposalResult) -> dict:
    p = row.proposal
    item = {
        "id": p.id, "title": p.title, "category": p.category, "beneficiaries": p.beneficiary_list,
        "cost": row.cost, "status": p.status, "status_reason": p.status_reason, "answer": p.answer,
        "answered_at": p.answered_at.isoformat() if p.answered_at else None, "answer_due": p.answer_due.isoformat(),
        "candidate": row.candidate, "selected": row.selected, "place": row.place, "score": row.score,
        "votes": _split(row.votes) if row.votes else None,
        "hands": {column: _split(s) for column, s in row.hands.items()} if row.hands else None,
    }  # fmt: skip
    return item


def _outcome(results: Results) -> dict | None:
    outcome = results.outcome
    if outcome is None:
        return None
    return {
        "rule": outcome.rule,
        "parameters": outcome.parameters or {},
        "ballots": outcome.ballots,
        "voters": _split(results.voters) if results.voters else None,
        "selected": [int(p) for p in outcome.selected],
        "allocated": results.allocated,
        "computed_at": _iso(results.hearing, outcome.computed_at),
    }


def _requirements(results: Results) -> list[dict]:
    return [
        {"id": check.id, "status": check.status,
         "figures": {k: v for k, v in check.figures.items() if k != "suppressed"},
         "suppressed": list(check.figures.get("suppressed", [])),
         "justifications": results.justifications.get(check.id, {})}
        for check in results.checks
    ]  # fmt: skip


def files(code: str) -> dict:
    """The absolute addresses of everything published for a hearing."""
    return {
        "results": absolute_url("publication.results", code=code),
        "summary": absolute_url("publication.summary", code=code),
        "json": absolute_url("publication.results_json", code=code),
        "csv": absolute_url("publication.results_csv", code=code),
        "pb": absolute_url("publication.results_pb", code=code),
    }


def results_json(results: Results) -> dict:
    """The whole published record in schema v1."""
    hearing = results.hearing
    return {
        "schema": absolute_url("static", filename=SCHEMA_FILE, v=None),  # an identifier: no content hash
        "schema_version": SCHEMA_VERSION,
        "documentation": absolute_url("publication.schema"),
        "hearing": _hearing(results),
        "attendance": _attendance(results),
        "outcome": _outcome(results),
        "proposals": [_proposal(row) for row in results.proposals],
        "requirements": _requirements(results),
        "corrections": [{"at": _iso(hearing, c.at), "subject": c.subject, "before": c.before, "after": c.after,
                         "reason": c.reason} for c in results.corrections],  # fmt: skip
        "documents": [{"kind": d.kind, "name": d.original_name,
                       "url": absolute_url("hearings.document", code=hearing.public_code, document_id=d.id)}
                      for d in results.documents],  # fmt: skip
        "files": files(hearing.public_code),
        "audit_seal": {"event": results.seal[0], "sha256": results.seal[1]} if results.seal else None,
    }


def _csv_rows(results: Results):
    """One row per published figure: section, the dimensions it is broken down by, measure, value."""
    table, genders = results.figures.table, results.genders
    labels = [label for _, label in results.figures.bands]
    for label, row, row_total in zip(labels, table.cells, table.row_totals, strict=True):
        for gender, value in zip(genders, row, strict=True):
            yield {"section": "attendance", "gender": gender, "age_band": label, "measure": "checked_in"}, value
        yield {"section": "attendance", "gender": ALL, "age_band": label, "measure": "checked_in"}, row_total
    for gender, value in zip(genders, table.column_totals, strict=True):
        yield {"section": "attendance", "gender": gender, "age_band": ALL, "measure": "checked_in"}, value
    yield {"section": "attendance", "gender": ALL, "age_band": ALL, "measure": "checked_in"}, table.total
    for name, label in results.figures.settlements:
        value = int(label) if label.isdigit() else None
        yield {"section": "attendance_settlement", "settlement": name, "measure": "checked_in"}, value
    for row in results.proposals:
        yield from _csv_proposal(row)
    for check in results.checks:
        hidden = check.figures.get("suppressed", ())
        for key, value in check.figures.items():
            if key in hidden or (isinstance(value, int | float) and not isinstance(value, bool)):
                yield {"section": "requirement", "requirement": check.id, "measure": key}, value


def _csv_proposal(row: ProposalResult):
    base = {"section": "proposal", "proposal_id": row.proposal.id}
    yield base | {"measure": "cost"}, row.cost
    yield base | {"measure": "selected"}, int(row.selected)
    if row.score is not None:
        yield base | {"measure": "score"}, row.score
    splits = [("supporters", row.votes)] if row.votes else []
    splits += [(f"hands_{column}", s) for column, s in row.hands.items()]
    for measure, split in splits:
        yield {"section": "votes", "proposal_id": row.proposal.id, "gender": ALL, "measure": measure}, split.total
        for gender, value in split.parts.items():
            yield {"section": "votes", "proposal_id": row.proposal.id, "gender": gender, "measure": measure}, value


def results_csv(results: Results) -> str:
    """The figures in long (tidy) form, UTF-8 with a byte order mark so spreadsheets read Cyrillic right."""
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for dimensions, value in _csv_rows(results):
        suppressed = value is None
        writer.writerow(dimensions | {"value": "" if suppressed else value, "suppressed": int(suppressed)})
    return "\ufeff" + out.getvalue()


def export_public_pb(hearing) -> str:
    """The ballots as a pabulib file anyone can recount, without each voter's sex and age band."""
    return export_pb(hearing, voter_details=False)


def schema_url() -> str:
    """Where the JSON Schema file is served."""
    return url_for("static", filename=SCHEMA_FILE)
