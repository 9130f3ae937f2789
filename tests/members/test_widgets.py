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
