"""The minutes as an A4 PDF drawn on the server with fpdf2 and the DejaVu Sans font shipped in static/fonts.

DejaVu Sans has every letter the hearings need: Kyrgyz ң ө ү, Russian, Uzbek Latin oʻ gʻ (U+02BB).
"""

import os

from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from app.minutes.protocol import Protocol, Table

FONTS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "static", "fonts")
FAMILY = "DejaVu"
MUTED = (74, 85, 99)


class MinutesPDF(FPDF):
    """A4 pages with the municipality and hearing code on top and the page number at the foot."""

    def __init__(self, minutes: Protocol):
        super().__init__(format="A4", unit="mm")
        self.minutes = minutes
        self.add_font(FAMILY, "", os.path.join(FONTS, "DejaVuSans.ttf"))
        self.add_font(FAMILY, "B", os.path.join(FONTS, "DejaVuSans-Bold.ttf"))
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=18)
        self.set_title(f"{_('Minutes')} · {minutes.title}")
        self.set_lang(minutes.locale)
        self.set_creator("hearings")

    def header(self):
        """The municipality and the hearing's code, small and grey."""
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, f"{self.minutes.municipality} · {self.minutes.code}", align="R",
                  new_x="LMARGIN", new_y="NEXT")  # fmt: skip
        self.set_text_color(0)
        self.ln(2)

    def footer(self):
        """Page n of N."""
        self.set_y(-13)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, _("Page %(page)s of %(pages)s", page=self.page_no(), pages="{nb}"), align="C")
        self.set_text_color(0)

    # -- building blocks ---------------------------------------------------------------------------
    def heading(self, text: str, keep: float = 24) -> None:
        """A section heading, kept with at least `keep` mm of what follows."""
        if self.will_page_break(keep):
            self.add_page()
        self.ln(3)
        self.set_font(FAMILY, "B", 12)
        self.multi_cell(0, 6.5, text, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FAMILY, "", 10)
        self.ln(1)

    def para(self, text: str, bold: bool = False, size: float = 10) -> None:
        """A paragraph of wrapped text."""
        self.set_font(FAMILY, "B" if bold else "", size)
        self.multi_cell(0, 5.2, text, new_x="LMARGIN", new_y="NEXT", align="L")
        self.set_font(FAMILY, "", 10)

    def fact(self, label: str, value: str) -> None:
        """A label in bold followed by its value."""
        self.set_font(FAMILY, "B", 10)
        self.write(5.2, f"{label}: ")
        self.set_font(FAMILY, "", 10)
        self.write(5.2, value or "—")
        self.ln(5.6)

    def grid(self, table: Table, first_width: float = 3) -> None:
        """A table with a header row, the first column wider and the figures right-aligned."""
        columns = len(table.head)
        widths = (first_width, *([1] * (columns - 1)))
        aligns = ("LEFT", *(["RIGHT"] * (columns - 1)))
        self.set_font(FAMILY, "", 9)
        with self.table(col_widths=widths, text_align=aligns, line_height=5, padding=1,
                        headings_style=FontFace(emphasis="BOLD", fill_color=(233, 237, 242))) as grid:  # fmt: skip
            for row in [table.head, *table.rows, *([table.foot] if table.foot else [])]:
                cells = grid.row()
                for value in row:
                    cells.cell(value)
        self.set_font(FAMILY, "", 10)
        self.ln(2)


def render(minutes: Protocol) -> bytes:
    """The minutes as PDF bytes."""
    pdf = MinutesPDF(minutes)
    pdf.add_page()
    _title(pdf, minutes)
    _attendance(pdf, minutes)
    _session(pdf, minutes)
    _proposals(pdf, minutes)
    _checklist(pdf, minutes)
    _seal(pdf, minutes)
    _signatures(pdf, minutes)
    return bytes(pdf.output())


def _title(pdf: MinutesPDF, m: Protocol) -> None:
    """The municipality, the hearing, when and where, chair and secretary."""
    pdf.para(m.municipality + (f", {m.region}" if m.region else ""), size=10)
    pdf.ln(2)
    pdf.para(_("Minutes"), bold=True, size=16)
    pdf.para(m.kind, size=11)
    pdf.para(m.title, bold=True, size=13)
    pdf.ln(2)
    pdf.fact(_("Date"), f"{m.date}, {m.time}")
    pdf.fact(_("Place"), m.venue)
    pdf.fact(_("Chair"), m.chair)
    pdf.fact(_("Secretary"), m.secretary)


def _attendance(pdf: MinutesPDF, m: Protocol) -> None:
    """The checked-in count and the suppressed attendance tables."""
    pdf.heading(_("Attendance"))
    pdf.fact(_("Checked in"), str(m.checked_in))
    pdf.grid(m.attendance, first_width=1.3)
    pdf.grid(m.settlements, first_width=3)
    pdf.para(m.threshold_note, size=8)


def _session(pdf: MinutesPDF, m: Protocol) -> None:
    """Agenda, presentations, and the questions with their answers."""
    pdf.heading(_("Agenda"))
    for number, item in enumerate(m.agenda, start=1):
        pdf.para(f"{number}. {item}")
    if not m.agenda:
        pdf.para("—")
    pdf.heading(_("Presentations"))
    pdf.para(m.presentations or "—")
    pdf.heading(_("Questions and answers"))
    for q in m.questions:
        pdf.para(f"{q.number}. {q.text}", bold=True)
        pdf.para(f"{_('Asked by')}: {q.asker}", size=9)
        answer = f"{q.answered_by}: {q.answer}" if q.answered_by else q.answer
        pdf.para(f"{_('Answer')}: {answer or '—'}")
        pdf.ln(1.5)
    if not m.questions:
        pdf.para(_("No questions were recorded."))


def _proposals(pdf: MinutesPDF, m: Protocol) -> None:
    """Every proposal with its decision and its vote table."""
    pdf.heading(_("Proposals, votes and decisions"), keep=70 if m.proposals else 24)
    if m.rule:
        pdf.fact(_("Rule"), m.rule)
    for p in m.proposals:
        if pdf.will_page_break(24 + (7 * (len(p.votes.rows) + 1) if p.votes else 0)):
            pdf.add_page()  # keep a proposal with its vote table
        pdf.para(f"{p.number}. {p.title}", bold=True)
        pdf.para(f"{_('Proposed by')}: {p.proposer}", size=9)
        decision = p.status + (f" — {p.reason}" if p.reason else "")
        pdf.para(f"{_('Decision')}: {decision}" + (f" ({p.result})" if p.result else ""))
        if p.votes is not None:
            pdf.para(p.summary, size=9)
            pdf.grid(p.votes, first_width=2)
        pdf.ln(1)
    if not m.proposals:
        pdf.para(_("No proposals."))


def _checklist(pdf: MinutesPDF, m: Protocol) -> None:
    """The requirement checklist with justifications, then the corrections after publication."""
    pdf.heading(_("Gender-responsive requirements"))
    for check in m.checks:
        pdf.para(f"{check.name}: {check.status}", bold=True, size=9.5)
        if check.text:
            pdf.para(check.text, size=9)
        if check.justification:
            pdf.para(f"{_('Justification')}: {check.justification}", size=9)
        pdf.ln(1)
    if m.corrections:
        pdf.heading(_("Corrections after publication"))
        for c in m.corrections:
            pdf.para(f"{c.on} · {c.subject}", bold=True, size=9.5)
            pdf.para(f"{_('Before')}: {c.before or '—'}", size=9)
            pdf.para(f"{_('After')}: {c.after or '—'}", size=9)
            pdf.para(f"{_('Reason')}: {c.reason}", size=9)
            pdf.ln(1)


def _seal(pdf: MinutesPDF, m: Protocol) -> None:
    """The audit log's head at publication, for whoever keeps this paper to check the record later."""
    if not m.seal:
        return
    pdf.heading(_("Audit seal"))
    pdf.para(m.seal, size=8.5)
    pdf.para(_("Keep this line. With it anyone can ask the municipality to show that nothing recorded up to "
               "publication was changed or removed."), size=9)  # fmt: skip


def _signatures(pdf: MinutesPDF, m: Protocol) -> None:
    """A line to sign on for the chair and the secretary, with their names."""
    if pdf.will_page_break(16 + 18 * len(m.signatures)):
        pdf.add_page()
    pdf.ln(10)
    for role, name in m.signatures:
        pdf.set_font(FAMILY, "B", 10)
        pdf.cell(32, 8, role)
        pdf.set_font(FAMILY, "", 10)
        pdf.cell(70, 8, name or "")
        left, y = pdf.get_x() + 4, pdf.get_y() + 7
        pdf.line(left, y, pdf.w - pdf.r_margin, y)
        pdf.set_xy(left, y + 0.5)
        pdf.set_font(FAMILY, "", 7.5)
        pdf.set_text_color(*MUTED)
        pdf.cell(pdf.w - pdf.r_margin - left, 4, _("Signature"), align="C")
        pdf.set_text_color(0)
        pdf.ln(12)
