"""The audit log's hash chain: each event's digest, and a streaming check that finds edited, deleted or moved rows.

A chain alone cannot show that its last events were cut off: what remains is still a well-linked chain. So the
check also takes seals, (event id, hash) pairs recorded outside the database (the head printed by `flask audit
verify`, or the one a published hearing shows and puts in its open data), and fails when a sealed event is
gone or no longer has its hash.
"""

import hashlib
import json
import re
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

GENESIS = "0" * 64
RECENT = 1024  # how many earlier hashes the check remembers to tell a moved row from a deleted one
EDITED, MISSING, MOVED = "edited", "missing", "moved"
RESEALED, CUT_OFF = "resealed", "cut_off"  # a sealed event with another hash; a sealed event not in the log
MIN_SEAL_DIGITS = 16  # a seal may give the hash's first 16+ hex digits, as a printed page may
_SEAL = re.compile(rf"^(\d+):([0-9a-f]{{{MIN_SEAL_DIGITS},64}})$")
HASHED_FIELDS = ("at", "user_id", "municipality_id", "action", "object_type", "object_id", "before", "after")


def event_fields(event) -> dict:
    """The fields an event's hash covers, from anything with those attributes (a model or a result row)."""
    fields = {name: getattr(event, name) for name in HASHED_FIELDS}
    fields["at"] = fields["at"].isoformat() if fields["at"] is not None else None
    return fields


def canonical_json(fields: dict) -> str:
    """`fields` as JSON the way a JSON column gives them back (string keys, lists), with sorted keys.

    The round trip makes the digest of what was written equal to the digest of what is read back:
    an integer key comes back as a string and a tuple as a list, and PostgreSQL need not keep key order.
    """
    plain = json.loads(json.dumps(fields, default=str))
    return json.dumps(plain, sort_keys=True, ensure_ascii=False)


def event_digest(prev_hash: str, fields: dict) -> str:
    """The SHA-256 of the previous hash and this event's canonical JSON."""
    return hashlib.sha256((prev_hash + canonical_json(fields)).encode()).hexdigest()


@dataclass(frozen=True)
class Link:
    """One stored event as the check sees it."""

    id: int
    prev_hash: str
    hash: str
    fields: dict


@dataclass(frozen=True)
class ChainBreak:
    """Where the chain broke and how.

    `edited`: the stored hash is not the digest of the row (the row changed after it was written).
    `missing`: the row links to a hash no earlier row has (the row before it was deleted or rewritten).
    `moved`: the row links to `linked_to`, an earlier row than the one before it (rows inserted or reordered).
    `resealed`: a sealed event is there with another hash (it, or an event before it, was rewritten).
    `cut_off`: a sealed event is not in the log (`previous_id` is the last event there is).
    """

    event_id: int
    kind: str
    previous_id: int | None = None
    linked_to: int | None = None


@dataclass
class ChainReport:
    """The outcome of a check: how many events, the first breaks found and how many in all."""

    events: int = 0
    breaks: list[ChainBreak] = field(default_factory=list)
    break_count: int = 0
    last_id: int | None = None
    last_hash: str = GENESIS

    @property
    def intact(self) -> bool:
        """True when no break was found."""
        return self.break_count == 0


def parse_seal(text: str) -> tuple[int, str] | None:
    """`ID:HASH` (the hash in full or its first 16+ hex digits) as (id, lower-case hash); None if malformed."""
    found = _SEAL.match(text.strip().lower())
    return (int(found.group(1)), found.group(2)) if found else None


def verify_chain(links: Iterable[Link], keep: int = 100, seals: Mapping[int, str] | None = None) -> ChainReport:
    """Walk `links` in id order, holding only the recent hashes, and report every break (the first `keep`).

    `seals` maps event ids to the hashes (or their first digits) recorded for them outside the database.
    """
    report = ChainReport()
    recent: OrderedDict[str, int] = OrderedDict({GENESIS: 0})
    unseen = dict(seals or {})

    def note(found: ChainBreak | None) -> None:
        if found is not None:
            report.break_count += 1
            if len(report.breaks) < keep:
                report.breaks.append(found)

    for link in links:
        note(_break_of(link, report, recent))
        sealed = unseen.pop(link.id, None)
        if sealed is not None and not link.hash.startswith(sealed):
            note(ChainBreak(link.id, RESEALED, report.last_id))
        recent[link.hash] = link.id
        if len(recent) > RECENT:
            recent.popitem(last=False)
        report.events += 1
        report.last_id, report.last_hash = link.id, link.hash
    for event_id in sorted(unseen):
        note(ChainBreak(event_id, CUT_OFF, report.last_id))
    return report


def _break_of(link: Link, report: ChainReport, recent: OrderedDict[str, int]) -> ChainBreak | None:
    """The break at `link`, if any, given the events before it."""
    if link.hash != event_digest(link.prev_hash, link.fields):
        return ChainBreak(link.id, EDITED, report.last_id)
    if link.prev_hash == report.last_hash:
        return None
    if link.prev_hash in recent:
        return ChainBreak(link.id, MOVED, report.last_id, recent[link.prev_hash] or None)
    return ChainBreak(link.id, MISSING, report.last_id)
