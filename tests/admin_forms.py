"""Post an admin change form back as a browser would: every field of the page's
`<form id="..._form">` with the value it shows, then the test's changes."""

from html.parser import HTMLParser


class _FormFields(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data: dict[str, list[str]] = {}
        self._in_form = False
        self._select = None
        self._first_option = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("id") or "").endswith("_form"):
            self._in_form = True
        if not self._in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self.data.setdefault(name, []).append(attrs.get("value", default))
        elif tag == "select" and name:
            self._select = (name, "multiple" in attrs)
            self._first_option = None
            self.data.setdefault(name, [])
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in attrs:
                self.data[self._select[0]].append(value)
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select" and self._select:
            name, multiple = self._select
            if not self.data[name]:
                # Nothing chosen: a list sends nothing, a drop-down its first.
                if multiple or self._first_option is None:
                    del self.data[name]
                else:
                    self.data[name].append(self._first_option)
            self._select = None
        elif tag == "textarea" and self._textarea:
            # The browser drops the newline right after <textarea>.
            value = self.data[self._textarea][0]
            self.data[self._textarea][0] = value.removeprefix("\n")
            self._textarea = None


def change_form_data(response, **changes) -> dict:
    """The admin form on `response`'s page as it would be submitted, with
    `changes` applied (a value of None leaves the field out)."""
    parser = _FormFields()
    parser.feed(response.content.decode())
    data = {
        name: values if len(values) > 1 else (values[0] if values else "")
        for name, values in parser.data.items()
    }
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data
