"""Outcome-rule benchmark: every rule on the two large real elections in ../shared/data/pabulib.

Each (file, rule) runs in a fresh process, one after the other, so the peak memory printed (the process's
maximum resident set, interpreter included) belongs to that run alone. Prints figures; asserts nothing.
Run with `.venv/bin/python bench/outcome.py [FILE.pb ...]`.
"""

import multiprocessing
import os
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
DATA = os.path.join(ROOT, "..", "shared", "data", "pabulib")
FILES = ["Poland_Warszawa_2026.pb", "Netherlands_Amsterdam_252.pb"]
RULES = ["greedy", "greedy-no-skip", "greedy-threshold", "mes"]


def measure(path: str, rule: str) -> dict:
    """Parse the file and apply the rule, in this (fresh) process."""
    from app.rules.outcome import Constraints, decide, election_outcome, profile
    from app.rules.pabulib import load_pb

    started = time.perf_counter()
    election = load_pb(path)
    parsed = time.perf_counter()
    note = ""
    if rule == "greedy-threshold" and election.meta_int("min_project_score_threshold") is None:
        return {"parse": parsed - started, "note": "no min_project_score_threshold in META"}
    if rule == "mes" and "budget_per_neighborhood" in election.meta:
        note = "neighbourhood budgets ignored (MES does not take them)"
        ballots = profile(((v.vote, v.points) for v in election.voters), election.vote_type)
        costs = {p.id: p.cost for p in election.projects.values()}
        result = decide("mes", costs, ballots, election.budget, Constraints())
    else:
        result = election_outcome(election, rule)
    finished = time.perf_counter()
    official = {p.id for p in election.projects.values() if p.selected == 1}
    has_column = any(p.selected is not None for p in election.projects.values())
    return {
        "parse": parsed - started,
        "rule": finished - parsed,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "winners": len(result.selected),
        "cost": result.cost,
        "same": (set(result.selected) == official) if has_column else "no selected column",
        "note": "; ".join(filter(None, [f"share {float(result.share):.2f}" if result.share else "", note])),
    }


def main(files: list[str]) -> None:
    """Print one line per file and rule."""
    spawn = multiprocessing.get_context("spawn")
    print(f"{'file':32} {'rule':17} {'parse s':>8} {'rule s':>8} {'peak MB':>8} {'winners':>7}  same as selected")
    for name in files:
        path = name if os.path.exists(name) else os.path.join(DATA, name)
        for rule in RULES:
            with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
                row = pool.submit(measure, path, rule).result()
            if "rule" not in row:
                print(f"{os.path.basename(path)[:32]:32} {rule:17} {row['parse']:8.2f} {'-':>8}  {row['note']}")
                continue
            print(f"{os.path.basename(path)[:32]:32} {rule:17} {row['parse']:8.2f} {row['rule']:8.2f} "
                  f"{row['peak_mb']:8.0f} {row['winners']:7}  {row['same']}  {row['note']}")  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1:] or FILES)
