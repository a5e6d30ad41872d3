"""Read and write participatory-budgeting elections in the pabulib format (https://pabulib.org/format).

A file has three sections, each a title line (META, PROJECTS, VOTES), a header line and rows; fields
are separated by ';' and quoted with '"' when they contain one, as in CSV. Line endings may be CRLF or LF.
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction

SECTIONS = ("META", "PROJECTS", "VOTES")
# Column order when writing: pabulib's usual order, then any other columns as first seen.
PROJECT_COLUMNS = ("project_id", "cost", "votes", "score", "name", "category", "target", "beneficiaries", "selected")
VOTER_COLUMNS = ("voter_id", "vote", "points", "age", "sex")


@dataclass
class Project:
    """A project on the ballot; `selected` is pabulib's code (1 funded, 0 not, 2 or 3 special, see META comment)."""

    id: str
    cost: int
    name: str | None = None
    selected: int | None = None
    extra: dict[str, str] = field(default_factory=dict)  # votes, score, category, target, ... (empty ones left out)


@dataclass(slots=True)
class Voter:
    """One ballot: project ids (in preference order for ordinal votes), points for cumulative votes."""

    id: str
    vote: list[str]
    points: list[int] | None = None
    age: int | None = None
    sex: str | None = None
    extra: dict[str, str] = field(default_factory=dict)  # voting_method, neighborhood, ... (empty ones left out)


@dataclass
class Election:
    """A whole pabulib file: META as strings, projects in file order, voters in file order."""

    meta: dict[str, str]
    projects: dict[str, Project]
    voters: list[Voter]

    @property
    def budget(self) -> Fraction:
        """META `budget` exactly (it may carry decimals, e.g. 2532645.83)."""
        return Fraction(Decimal(self.meta["budget"]))

    @property
    def vote_type(self) -> str:
        """approval, ordinal, cumulative, scoring or choose-1."""
        return self.meta.get("vote_type", "approval")

    @property
    def rule(self) -> str:
        """The rule the organisers used, e.g. greedy or equalshares/add1 (`unknown` when missing)."""
        return self.meta.get("rule", "unknown")

    def meta_int(self, key: str) -> int | None:
        """An integer META value such as max_length or min_project_score_threshold, None when absent."""
        value = self.meta.get(key, "")
        return int(Decimal(value)) if value else None


class PabulibError(ValueError):
    """The text is not a well-formed pabulib file."""


REQUIRED = {"META": ("key", "value"), "PROJECTS": ("project_id", "cost"), "VOTES": ("voter_id", "vote")}


def _number(value: str, what: str) -> Decimal:
    try:
        return Decimal(value)
    except InvalidOperation:
        raise PabulibError(f"{what} must be a number, not {value!r}") from None


def _whole(value: str, what: str) -> int:
    number = _number(value, what)
    if number != number.to_integral_value():
        raise PabulibError(f"{what} must be a whole number, not {value!r}")
    return int(number)


def _ids(value: str) -> list[str]:
    return [part.strip() for part in value.split(",")] if value else []


def _project(row: dict[str, str]) -> Project:
    selected = row.pop("selected", None)
    return Project(
        id=row.pop("project_id"),
        cost=_whole(row.pop("cost"), "cost"),
        name=row.pop("name", None) or None,
        selected=int(selected) if selected else None,
        extra={key: value for key, value in row.items() if value},
    )


def _voter(row: dict[str, str]) -> Voter:
    points = row.pop("points", None)
    age = row.pop("age", None)
    return Voter(
        id=row.pop("voter_id"),
        vote=_ids(row.pop("vote", "")),
        points=None if points is None else [_whole(p, "points") for p in _ids(points)],
        age=int(age) if age else None,
        sex=row.pop("sex", None) or None,
        extra={key: value for key, value in row.items() if value},
    )


def read_pb(text: str) -> Election:
    """Parse the text of a .pb file."""
    meta: dict[str, str] = {}
    projects: dict[str, Project] = {}
    voters: list[Voter] = []
    section = header = None
    for line_number, row in enumerate(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"), 1):
        row = [value.strip() for value in row]
        if not any(row):
            continue
        if len(row) == 1 and row[0].upper() in SECTIONS:
            section, header = row[0].upper(), None
            continue
        if section is None:
            raise PabulibError(f"line {line_number}: data before the META section")
        if header is None:
            header = row
            missing = [name for name in REQUIRED[section] if name not in header]
            if missing:
                raise PabulibError(f"line {line_number}: the {section} header lacks {', '.join(missing)}")
            continue
        if len(row) != len(header):
            raise PabulibError(f"line {line_number}: {len(row)} fields where the header has {len(header)}")
        if section == "META":
            meta[row[0]] = row[1]
        elif section == "PROJECTS":
            project = _project(dict(zip(header, row, strict=True)))
            projects[project.id] = project
        else:
            voters.append(_voter(dict(zip(header, row, strict=True))))
    _number(meta.get("budget", ""), "META budget")
    return Election(meta, projects, voters)


def load_pb(path: str) -> Election:
    """Read a .pb file from disk."""
    with open(path, encoding="utf-8", newline="") as handle:
        return read_pb(handle.read())


def _columns(leading: tuple[str, ...], present: set[str], extras: list[dict[str, str]]) -> list[str]:
    for extra in extras:
        present.update(extra)
    columns = [name for name in leading if name in present]
    for extra in extras:
        columns.extend(key for key in extra if key not in columns)
    return columns


def write_pb(election: Election) -> str:
    """The .pb text of an election (LF line endings, quotes only where needed); `read_pb` reads it back."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    writer.writerows(election.meta.items())

    projects = list(election.projects.values())
    present = {"project_id", "cost"}
    present |= {"name"} if any(p.name is not None for p in projects) else set()
    present |= {"selected"} if any(p.selected is not None for p in projects) else set()
    columns = _columns(PROJECT_COLUMNS, present, [p.extra for p in projects])
    writer.writerow(["PROJECTS"])
    writer.writerow(columns)
    for p in projects:
        own = {"project_id": p.id, "cost": str(p.cost), "name": p.name or "",
               "selected": "" if p.selected is None else str(p.selected)}  # fmt: skip
        writer.writerow([own[c] if c in own else p.extra.get(c, "") for c in columns])

    voters = election.voters
    present = {"voter_id", "vote"}
    present |= {"points"} if any(v.points is not None for v in voters) else set()
    present |= {"age"} if any(v.age is not None for v in voters) else set()
    present |= {"sex"} if any(v.sex is not None for v in voters) else set()
    columns = _columns(VOTER_COLUMNS, present, [v.extra for v in voters])
    writer.writerow(["VOTES"])
    writer.writerow(columns)
    for v in voters:
        own = {"voter_id": v.id, "vote": ",".join(v.vote), "points": ",".join(map(str, v.points or ())),
               "age": "" if v.age is None else str(v.age), "sex": v.sex or ""}  # fmt: skip
        writer.writerow([own[c] if c in own else v.extra.get(c, "") for c in columns])
    return out.getvalue()
