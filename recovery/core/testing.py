"""Helpers for tests that use pages as a person does: send a form back as the page shows it."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.forms: list[dict[str, list[str]]] = []
        self.data: dict[str, list[str]] = {}
        self.textarea: str | None = None
        self.select: str | None = None
        self.text = ""

    def _add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method", "").lower() == "post":
            self.inside, self.data = True, {}
            self.forms.append(self.data)
            return
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(name, a.get("value", "on"))
            elif kind not in ("submit", "button", "file"):
                self._add(name, a.get("value") or "")
        elif tag == "textarea" and name:
            self.textarea, self.text = name, ""
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in a:
            self._add(self.select, a.get("value", ""))

    def handle_data(self, data):
        if self.textarea is not None:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea is not None:
            # A browser drops the one line break that follows <textarea>.
            self._add(self.textarea, self.text.removeprefix("\n"))
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.inside = False


def form_as_shown(html: str | bytes, having: str = "version") -> dict[str, list[str] | str]:
    """What a browser sends for the page's first POST form with a field named `having` (by
    default an edit form's version), just as the page shows it: for `client.post(url, data)`."""
    reader = _FormReader()
    reader.feed(html.decode() if isinstance(html, bytes) else html)
    found = next(form for form in reader.forms if having in form)
    return {k: v[0] if len(v) == 1 else v for k, v in found.items()}
