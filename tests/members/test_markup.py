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


def test_an_image_served_by_practica_stays_inline():
    html = markdown_to_html("![diagram](/media/items/diagram.png)")
    assert '<img alt="diagram" src="/media/items/diagram.png">' in html


def test_a_raw_html_image_from_elsewhere_loses_its_source():
    html = markdown_to_html('<img src="https://tracker.example/p.gif"> text')
    assert "tracker.example" not in html
