"""Member-written Markdown: images come only from Practica itself, so no other
site learns who reads what."""

from members.markup import markdown_to_html


def test_a_remote_image_becomes_a_link_that_names_it():
    html = markdown_to_html("See ![the board](https://tracker.example/b.png?u=1)")
    assert "<img" not in html
    assert 'href="https://tracker.example/b.png?u=1"' in html
    assert "Image: the board" in html


def test_a_protocol_relative_image_is_remote_too():
    html = markdown_to_html("![](//tracker.example/pixel.gif)")
    assert "<img" not in html and ">Image</a>" in html


ATTACHED = "/files/0b5e6a52-55f4-4c55-9d2a-6f1b8f3f8a01/diagram.png"


def test_an_image_attached_in_practica_stays_inline():
    html = markdown_to_html(f"![diagram]({ATTACHED})")
    assert f'<img alt="diagram" src="{ATTACHED}">' in html


def test_any_other_path_of_the_site_is_not_an_image():
    """Only attached files are shown inline: a path like a logout or an admin
    action cannot be fired by whoever reads the text."""
    for src in ("/media/items/diagram.png", "/accounts/logout/", f"{ATTACHED}/../x"):
        html = markdown_to_html(f"![x]({src})")
        assert "<img" not in html, src
    raw = markdown_to_html('<img src="/accounts/logout/"> text')
    assert "logout" not in raw


def test_a_raw_html_image_from_elsewhere_loses_its_source():
    html = markdown_to_html('<img src="https://tracker.example/p.gif"> text')
    assert "tracker.example" not in html
