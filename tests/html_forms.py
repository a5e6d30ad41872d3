"""The forms of a rendered page, read from its HTML: where each posts and what fields it has."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Field:
    """One named control: its kind and, for choices, the values offered."""

    name: str
    kind: str  # text, textarea, select, radio, checkbox, number, date, time, file, hidden, ...
    options: list[str] = field(default_factory=list)
    value: str = ""


@dataclass
class Form:
    """A <form>: its action, method and fields by name."""

    action: str
    method: str
    fields: dict[str, Field] = field(default_factory=dict)

    def defaults(self) -> dict[str, str]:
        """What the browser would send untouched: hidden values, first choices, filled-in values."""
        sent = {}
        for f in self.fields.values():
            if f.kind in ("file", "submit"):
                continue
            sent[f.name] = f.value or (f.options[0] if f.options and f.kind in ("select", "radio") else "")
        return sent


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[Form] = []
        self._select: Field | None = None
        self._option: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append(Form(a.get("action") or "", (a.get("method") or "get").upper()))
        named = tag == "option" or a.get("name")
        if not self.forms or tag not in ("input", "select", "textarea", "option") or not named:
            return
        form = self.forms[-1]
        if tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
            if "selected" in a:
                self._select.value = a.get("value", "")
        elif tag == "select":
            self._select = form.fields.setdefault(a["name"], Field(a["name"], "select"))
        elif tag == "textarea":
            form.fields.setdefault(a["name"], Field(a["name"], "textarea"))
        elif tag == "input":
            kind = a.get("type", "text")
            known = form.fields.setdefault(a["name"], Field(a["name"], kind))
            if kind in ("radio", "checkbox"):
                known.options.append(a.get("value", "on"))
                if "checked" in a:
                    known.value = a.get("value", "on")
            elif kind != "submit":
                known.value = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def forms_of(html: str) -> list[Form]:
    """Every form of the page, in order."""
    parser = _Parser()
    parser.feed(html)
    return parser.forms


def form_posting_to(html: str, path: str) -> Form:
    """The page's POST form whose action is `path` (ignoring the query)."""
    for form in forms_of(html):
        if form.method == "POST" and form.action.split("?")[0] == path.split("?")[0]:
            return form
    raise LookupError(f"no form posts to {path}")
