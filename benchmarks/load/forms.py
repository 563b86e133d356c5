"""The forms of an HTML page, read with the standard library's parser.

The load users fill in the app's real forms: they read the fields a page offers
(hidden CSRF and management-form fields, current values, select options, the
``max`` of a score input) and post them back changed, as a browser would. Kept
apart from the locustfile so that it needs no locust to import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Field:
    name: str
    tag: str  # input, select, textarea
    type: str = ""
    value: str = ""
    checked: bool = False
    attrs: dict[str, str] = field(default_factory=dict)
    options: list[tuple[str, bool]] = field(default_factory=list)  # (value, selected)


@dataclass
class Form:
    action: str
    method: str
    fields: list[Field] = field(default_factory=list)

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    def values(self) -> dict[str, str]:
        """What the browser would send unchanged: checked boxes, selected options, values."""
        data: dict[str, str] = {}
        for f in self.fields:
            if f.tag == "input":
                if f.type in ("submit", "button", "file", "image", "reset"):
                    continue
                if f.type in ("checkbox", "radio") and not f.checked:
                    continue
                data[f.name] = f.value if f.value or f.type not in ("checkbox", "radio") else "on"
            elif f.tag == "select":
                selected = [v for v, s in f.options if s]
                if selected:
                    data[f.name] = selected[0]
                elif f.options and "multiple" not in f.attrs:
                    data[f.name] = f.options[0][0]
            else:
                data[f.name] = f.value
        return data


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select: Field | None = None
        self._option: list[str] | None = None
        self._option_selected = False
        self._textarea: Field | None = None

    def _form(self) -> Form:
        if not self.forms:  # a field outside any <form>: keep it anyway
            self.forms.append(Form(action="", method="get"))
        return self.forms[-1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(action=a.get("action", ""), method=a.get("method", "get")))
        elif tag == "input" and a.get("name"):
            self._form().fields.append(
                Field(
                    name=a["name"],
                    tag="input",
                    type=a.get("type", "text").lower(),
                    value=a.get("value", ""),
                    checked="checked" in a,
                    attrs=a,
                )
            )
        elif tag == "select" and a.get("name"):
            self._select = Field(name=a["name"], tag="select", attrs=a)
            self._form().fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = [a["value"]] if "value" in a else []
            self._option_selected = "selected" in a
        elif tag == "textarea" and a.get("name"):
            self._textarea = Field(name=a["name"], tag="textarea", attrs=a)
            self._form().fields.append(self._textarea)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data
        elif self._option is not None and not self._option[:1]:
            self._option.append(data.strip())

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._select is not None and self._option is not None:
            value = self._option[0] if self._option else ""
            self._select.options.append((value, self._option_selected))
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def parse_forms(html: str) -> list[Form]:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.forms


def form_with(html: str, field_name: str, *, prefix: bool = False) -> Form | None:
    """The first form of the page with a field called ``field_name`` (or starting so)."""
    for form in parse_forms(html):
        if any(
            f.name.startswith(field_name) if prefix else f.name == field_name for f in form.fields
        ):
            return form
    return None
