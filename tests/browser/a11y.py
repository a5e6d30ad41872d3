"""axe-core in the browser tests: the accessibility check every visited page must pass.

axe-core 4.10.3 is vendored from the npm registry under tests/browser/vendor/ with its licences; it is
test tooling, never served by the app. It is evaluated through Playwright (which the page's
Content-Security-Policy does not block), so the page under test keeps its real CSP.
"""

from pathlib import Path

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core-4.10.3" / "axe.min.js").read_text(encoding="utf-8")
BLOCKING = ("serious", "critical")

_RUN = """async ([impacts, preload]) => {
  const result = await window.axe.run(document, {resultTypes: ["violations"], preload});
  return result.violations
    .filter((v) => impacts.includes(v.impact))
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
    }));
}"""


def axe_violations(page, impacts=BLOCKING, preload=True) -> list[dict]:
    """The violations of the given impacts on the page as it is now (axe injected once per document).

    With `preload` false axe does not fetch the page's stylesheets again, which only the rule on locked screen
    orientation reads: a sweep of many pages that share one stylesheet needs it on the first page only.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    return page.evaluate(_RUN, [list(impacts), preload])


def describe(violations: list[dict]) -> str:
    """A readable list for an assertion message."""
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']}")
        lines.extend(f"    {n['target']}: {n['summary']}" for n in v["nodes"])
    return "\n".join(lines)


def assert_accessible(page, where: str = "") -> None:
    """Zero serious or critical axe-core violations on the page as it is now."""
    violations = axe_violations(page)
    assert not violations, f"axe-core on {where or page.url}:\n{describe(violations)}"
