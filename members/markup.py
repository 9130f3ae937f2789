"""Markdown for everything members write: rendered once, on save, through an
allowlist sanitiser, so stored HTML is safe to show as is."""

import re
import xml.etree.ElementTree as etree

import markdown
import nh3
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
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

# "@handle": a username-like word after a space, a line start or an opening
# bracket; not inside an e-mail address or a URL.
MENTION_PATTERN = r"(?<![\w@/.:+-])@([A-Za-z0-9][A-Za-z0-9_-]{0,59})"
_MENTION = re.compile(MENTION_PATTERN)


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


class _MentionLinks(InlineProcessor):
    """@handle becomes a link to what `links` maps its lower-cased handle
    to; other handles stay text. Code spans and blocks are left alone (inline
    patterns do not run there). Records the handles it linked."""

    def __init__(self, links: dict, found: list):
        super().__init__(MENTION_PATTERN)
        self.links, self.found = links, found

    def handleMatch(self, m, data):  # noqa: N802 - Markdown's API
        handle = m.group(1).rstrip("-_")
        url = self.links.get(handle.lower())
        if url is None:
            return None, None, None
        link = etree.Element("a")
        # No class: the sanitiser allows none, so nobody can dress a link
        # up as a mention. A mention is a link to a profile (or group).
        link.set("href", url)
        link.text = f"@{handle}"
        self.found.append(handle.lower())
        return link, m.start(0), m.start(0) + 1 + len(handle)


class _MentionExtension(Extension):
    def __init__(self, links: dict, found: list):
        super().__init__()
        self.links, self.found = links, found

    def extendMarkdown(self, md):  # noqa: N802 - Markdown's API
        md.inlinePatterns.register(
            _MentionLinks(self.links, self.found), "mention", 175
        )


def mention_candidates(text: str) -> set[str]:
    """Every lower-cased @handle in `text`, code included: the handles to look
    up before rendering (rendering then skips those inside code)."""
    return {m.group(1).rstrip("-_").lower() for m in _MENTION.finditer(text or "")}


def markdown_to_html_with_mentions(text: str, links: dict) -> tuple[str, list]:
    """markdown_to_html, with each @handle found in `links` (lower-cased
    handle -> a local URL) rendered as a link to it. Returns the HTML and
    the handles linked, in order of appearance (repeats kept)."""
    found = []
    return markdown_to_html(text, _extra=[_MentionExtension(links, found)]), found


def markdown_to_html(text: str, *, _extra=()) -> str:
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
        extensions=[
            "fenced_code",
            "tables",
            "sane_lists",
            _RemoteImagesExtension(),
            *_extra,
        ],
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
