"""members.widgets.LongSelect renders what forms.Select renders."""

from django import forms

from members.widgets import LongSelect


class PickForm(forms.Form):
    community = forms.ChoiceField(required=False, widget=LongSelect)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = [("", "All"), *choices]


def _options(html: str) -> list[str]:
    return [part.split(">")[0] for part in html.split("<option")[1:]]


def test_the_chosen_option_is_selected_and_labels_are_escaped():
    choices = [("a", "Lean <ops>"), ("b", "B & co")]
    form = PickForm({"community": "b"}, choices=choices)
    form.is_valid()
    html = str(form["community"])
    assert html.startswith('<select id="id_community" name="community">')
    assert _options(html) == [' value=""', ' value="a"', ' value="b" selected']
    assert "Lean &lt;ops&gt;" in html and "B &amp; co" in html
    plain = PickForm({"community": "b"}, choices=choices)
    plain.fields["community"].widget = forms.Select(
        choices=plain.fields["community"].choices
    )
    assert "".join(str(plain["community"]).split()).replace(
        'name="community"id="id_community"', 'id="id_community"name="community"'
    ) == "".join(html.split())


def test_nothing_chosen_selects_the_empty_option():
    html = str(PickForm(choices=[("a", "A")])["community"])
    assert _options(html) == [' value="" selected', ' value="a"']


def test_rendered_options_render_what_plain_choices_render():
    """Options rendered once (and cached with the choices) give the same
    <select> as the same choices rendered per request, chosen or not."""
    import pickle

    from members.widgets import RenderedOptions

    choices = [("a", "Lean <ops>"), ("b", "B & co"), ("c&d", 'C "quoted"')]
    # Through pickle, as the cache stores it.
    rendered = pickle.loads(pickle.dumps(RenderedOptions(choices)))  # noqa: S301
    for data in ({}, {"community": "b"}, {"community": "c&d"}, {"community": "x"}):
        plain = PickForm(data or None, choices=choices)
        fast = PickForm(data or None)
        fast.fields["community"].choices = rendered.first("", "All")
        assert list(fast.fields["community"].choices) == [("", "All"), *choices]
        assert fast.is_valid() == plain.is_valid()
        assert str(fast["community"]) == str(plain["community"])


class PlainForm(forms.Form):
    """Django's own widgets and labels, through their templates."""

    tag = forms.CharField(required=False, max_length=40, label="Tag <x>")
    author = forms.CharField(required=True, max_length=60, label="Author?")
    open = forms.BooleanField(required=False, label="Open only")

    def clean_author(self):
        author = self.cleaned_data["author"]
        if author == "nobody":
            raise forms.ValidationError("No member with that username.")
        return author


def _in_python():
    from members.widgets import CheckboxInput, LabelsInPython, TextInput

    class FastForm(LabelsInPython, PlainForm):
        required_css_class = "needed"

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for name, widget in (
                ("tag", TextInput),
                ("author", TextInput),
                ("open", CheckboxInput),
            ):
                field = self.fields[name]
                field.widget = widget(attrs=field.widget.attrs)

    return FastForm


def test_inputs_and_labels_written_in_python_are_django_s_html():
    """TextInput, CheckboxInput and LabelsInPython give the HTML of Django's
    templates: values escaped, empty or absent, checked or not, errors
    (aria-invalid), a required field, a label ending in punctuation, a
    label without an id, extra attributes."""
    fast_form = _in_python()
    plain_form = type("PlainRequired", (PlainForm,), {"required_css_class": "needed"})
    for data in (
        None,
        {},
        {"tag": "<b>\"x'&", "author": '"><script', "open": "on"},
        {"tag": "", "author": "nobody", "open": ""},
        {"tag": "0", "author": "marta"},
    ):
        for auto_id in ("id_%s", False):
            fast = fast_form(data, auto_id=auto_id)
            plain = plain_form(data, auto_id=auto_id)
            assert fast.is_valid() == plain.is_valid()
            for name in ("tag", "author", "open"):
                assert str(fast[name]) == str(plain[name])
                assert fast[name].label_tag() == plain[name].label_tag()
                assert fast[name].label_tag(attrs={"class": "x"}) == plain[
                    name
                ].label_tag(attrs={"class": "x"})
    shown = _in_python()({"author": "nobody", "tag": "<b>"})
    shown.is_valid()
    assert 'aria-invalid="true"' in str(shown["author"])
    assert 'value="&lt;b&gt;"' in str(shown["tag"])
    assert str(shown["tag"].label_tag()) == '<label for="id_tag">Tag &lt;x&gt;:</label>'
    # The form's other templates are still Django's.
    assert "<div>" in str(shown)
