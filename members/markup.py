"""Markdown for everything members write: rendered once, on save, through an
allowlist sanitiser, so stored HTML is safe to show as is."""

import re

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p",
    "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr",
    "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto"}


# The one kind of image shown inline: a file attached in Practica, served by
# knowledge's permission-checked view (/files/<uuid>/<name>).
_ATTACHED_IMAGE = re.compile(
    r"/files/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/"
    r"[A-Za-z0-9._-]+"
)


def _is_local(url: str) -> bool:
    """An attached file of Practica's own: never another host, nor any other
    path of this site."""
    return _ATTACHED_IMAGE.fullmatch(url) is not None


class _RemoteImagesAsLinks(Treeprocessor):
    """An image from another site would tell that site who reads what, and
    when: it becomes a link the reader may choose to follow."""

    def run(self, root):
        for parent in root.iter():
            for child in list(parent):
                if child.tag != "img" or _is_local(child.get("src", "")):
                    continue
                src, alt = child.get("src", ""), child.get("alt", "")
                tail = child.tail
                child.clear()
                child.tag = "a"
                child.set("href", src)
                child.text = f"Image: {alt}" if alt else "Image"
                child.tail = tail


class _RemoteImagesExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Markdown's API
        md.treeprocessors.register(_RemoteImagesAsLinks(md), "remote_images", 0)


def _drop_remote_image_sources(tag, attribute, value):
    """Raw HTML images (not Markdown's) lose a remote source altogether."""
    if tag == "img" and attribute == "src" and not _is_local(value):
        return None
    return value


def markdown_to_html(text: str) -> str:
    """Render member-written Markdown to sanitised HTML.

    No raw HTML survives except the allowlisted tags; `javascript:` and
    `data:` URLs are dropped; links get rel="nofollow noopener"; images are
    shown only when they are files attached in Practica (others become
    links).
    """
    if not text:
        return ""
    html = markdown.markdown(
        text,
        extensions=["fenced_code", "tables", "sane_lists", _RemoteImagesExtension()],
        output_format="html",
    )
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        attribute_filter=_drop_remote_image_sources,
    )
