"""Search: ranked, capped candidates, one page's rows and their snippets."""

import hashlib
import html
import re
from dataclasses import dataclass

import nh3
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.cache import cache
from django.db import connections, router
from django.db.models import F, Func, Q, Value, Window
from django.db.models.functions import MD5, RowNumber
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from communities.access import communities_visible_to
from communities.models import Community
from communities.selectors import COMMUNITY_NAMES_VERSION
from config import compiled_queries
from knowledge.models import Item, ItemKind
from knowledge.selectors.finder import communities_matching
from knowledge.selectors.tags import _tag_links
from knowledge.selectors.visibility import (
    LIST_RELATED,
    LIST_ROW_FIELDS,
    visible_items,
)
from members.models import User
from members.versioned_cache import cached
from members.widgets import RenderedOptions

# Search ranks at most this many of the most recent matches.
SEARCH_CAP = 1000

# Bumped by the knowledge services whenever what search finds, or how it
# ranks it, may change: an item created, edited (title, body, tags, kind),
# hidden or restored, an answer accepted or unaccepted, tags renamed.
SEARCH_RESULTS_VERSION = "search-results"


# Sentinels PostgreSQL puts around matches; swapped for <mark> after escaping.
_HL_START, _HL_STOP = "\x02", "\x03"


@dataclass(frozen=True)
class SearchResults:
    """Ids of the matches, best first, at most `cap` of them; `capped`
    says more matched than that (the page then shows "1,000+ results")."""

    ids: list
    capped: bool
    cap: int = SEARCH_CAP

    @property
    def count(self) -> int:
        return len(self.ids)


def _search_query(q: str):
    return SearchQuery(q, search_type="websearch", config="english")


def _filters_q(
    prefix: str = "",
    *,
    q: str,
    community: Community | None,
    kind: str,
    author: User | None,
    open_only: bool,
) -> Q:
    """The words and the filters (but the tag) on an item reached through
    `prefix`."""
    found = Q()
    if community is not None:
        found &= Q(**{f"{prefix}community_id": community.pk})
    if kind:
        found &= Q(**{f"{prefix}kind": kind})
    if author is not None:
        found &= Q(**{f"{prefix}author_id": author.pk})
    if open_only:
        found &= Q(
            **{
                f"{prefix}kind": ItemKind.QUESTION,
                f"{prefix}accepted_reply__isnull": True,
            }
        )
    if q:
        found &= Q(**{f"{prefix}search_vector": _search_query(q)})
    return found


# websearch_to_tsquery reads "OR" and "or" alike and the english
# configuration folds case; only ASCII is folded here, where Python and
# PostgreSQL surely agree (other letters just make another key).
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def search_words(q: str) -> str:
    """`q` as search reads it: the same words in any case or spacing are
    one search (one cache entry)."""
    return " ".join(q.translate(_ASCII_LOWER).split())


def search_items(
    *,
    viewer,
    q: str,
    community: Community | None = None,
    kind: str = "",
    tag: str = "",
    author: User | None = None,
    open_only: bool = False,
    cap: int | None = None,
) -> SearchResults:
    """What `viewer` may see matching `q` and the filters: on PostgreSQL the
    stored vector (title A, tags B, body C), ranked; newest first without words.

    A common word can match a third of the organisation's items, and ranking
    them all reads every matching row. So the candidates are the `cap` most
    recent matches (an index walk that stops early), ranked among themselves:
    the cost follows the cap, not the size of the match set."""
    cap = cap or SEARCH_CAP
    q = q.strip()
    ranked = bool(q)

    def where(prefix: str = "") -> Q:
        return _filters_q(
            prefix,
            q=q,
            community=community,
            kind=kind,
            author=author,
            open_only=open_only,
        )

    if tag:
        # Walk the tag's links newest first: a rare tag never scans every item.
        walk = (
            _tag_links(tags=[tag], viewer=viewer)
            .filter(where("content_object__"))
            .order_by("-item_created_at", "-content_object_id")
        )
        pk, created, vector = (
            "content_object_id",
            "item_created_at",
            "content_object__search_vector",
        )
    else:
        walk = visible_items(viewer).filter(where()).order_by("-created_at", "-id")
        pk, created, vector = "id", "created_at", "search_vector"
    if not ranked:
        # Newest first is the walk's own order: the one past the cap is last.
        ids = list(walk.values_list(pk, flat=True)[: cap + 1])
        capped = len(ids) > cap
        return SearchResults(ids=ids[:cap], capped=capped, cap=cap)
    # The candidates are ranked in the walk that finds them: each row is read
    # once (ranking them by id afterwards read all 1,001 again, 4,000 more
    # buffers), and only integers come back (no created_at parsed 1,001
    # times). `n` is a candidate's place in the walk; the one past the cap is
    # the oldest, left out wherever it ranked.
    candidates = walk.annotate(
        rank=SearchRank(F(vector), _search_query(q)),
        n=Window(RowNumber(), order_by=walk.query.order_by),
    ).values_list(pk, created, "rank", "n")[: cap + 1]
    sql, params = candidates.query.sql_with_params()
    # On the replica the router picks for reads, as the ORM's queries are.
    with connections[router.db_for_read(Item)].cursor() as cursor:
        # Column 1 is the id, 2 the date, 3 the rank, 4 the place in the walk.
        cursor.execute(
            f"SELECT walk.col1, walk.col4 FROM ({sql}) walk(col1, col2, col3, col4)"  # noqa: S608 - the ORM's SQL
            " ORDER BY walk.col3 DESC, walk.col2 DESC, walk.col1 DESC",
            params,
        )
        rows = cursor.fetchall()
    capped = len(rows) > cap
    ids = [row_id for row_id, n in rows if n <= cap]
    return SearchResults(ids=ids, capped=capped, cap=cap)


def search_results(
    *,
    viewer,
    visible: str,
    q: str,
    community: Community | None = None,
    kind: str = "",
    tag: str = "",
    author: User | None = None,
    open_only: bool = False,
) -> SearchResults:
    """search_items for the search page, cached per set of visible
    communities (`visible`: visible_communities_key, read fresh on each
    view) and the words and filters, until the knowledge services bump
    SEARCH_RESULTS_VERSION (a new, edited, hidden or restored item, an
    answer accepted or unaccepted). Ranking up to SEARCH_CAP candidates is
    most of a search's SQL; the page's own rows are read and checked again
    on every view (search_page_rows)."""
    words = search_words(q)
    filters = (
        words,
        community.pk if community is not None else None,
        kind,
        tag,
        author.pk if author is not None else None,
        open_only,
    )
    digest = hashlib.sha256(repr(filters).encode()).hexdigest()[:32]
    return cached(
        f"search-results:{visible}:{digest}",
        [SEARCH_RESULTS_VERSION],
        lambda: search_items(
            viewer=viewer,
            q=words,
            community=community,
            kind=kind,
            tag=tag,
            author=author,
            open_only=open_only,
        ),
    )


def search_filter_communities(*, viewer, visible: str) -> RenderedOptions:
    """(slug, name) of every community `viewer` may see, for the search
    page's filter, with their <option>s rendered: hundreds of rows, the same
    for everyone who sees the same communities. Cached under `visible`
    (visible_communities_key, read fresh on each view, so joining, leaving
    or a community turning private changes the key at once) until a
    community is created or renamed."""
    return cached(
        f"search-filter-options:{visible}",
        [COMMUNITY_NAMES_VERSION],
        lambda: RenderedOptions(
            communities_visible_to(viewer).values_list("slug", "name")
        ),
    )


def search_communities_found(*, viewer, visible: str, q: str) -> list[Community]:
    """finder.communities_matching for the search page, cached like the
    filter's communities (under the visible set and the words)."""
    digest = hashlib.sha256(q.strip().encode()).hexdigest()[:24]
    return cached(
        f"search-communities-found:{visible}:{digest}",
        [COMMUNITY_NAMES_VERSION],
        lambda: communities_matching(viewer=viewer, q=q),
    )


def _plain_text(body_html):
    """The rendered body without its tags (entities stay, unescaped later):
    a snippet shows "Context A pump ran hot", not "## Context … *almost*".
    Only computed for the page's rows, inside the one query that reads them."""
    return Func(
        body_html,
        Value("<[^>]*>"),
        Value(" "),
        Value("g"),
        function="regexp_replace",
    )


def _readable(text: str) -> str:
    return " ".join(html.unescape(text).split())


def _headline(q: str) -> SearchHeadline:
    return SearchHeadline(
        _plain_text(F("body_html")),
        _search_query(q),
        config="english",
        start_sel=_HL_START,
        stop_sel=_HL_STOP,
        max_words=35,
        min_words=15,
        max_fragments=2,
    )


def search_page_items(*, ids, q: str) -> list[Item]:
    """The rows of one page of search results, in the order of `ids`, with a
    highlighted headline computed for these rows only."""
    items = Item.objects.filter(pk__in=ids).select_related(*LIST_RELATED)
    q = q.strip()
    if q:
        items = items.annotate(headline=_headline(q))
    by_id = {item.pk: item for item in items}
    return [by_id[pk] for pk in ids if pk in by_id]


def _page_rows_query(*, ids: str, q: str = "", body: bool, headline: bool):
    """The items whose ids `ids` spells as a PostgreSQL array ("{3,1,2}"):
    one parameter for any number of ids, so the query keeps one shape and is
    compiled once per process (config.compiled_queries). Without `body` the
    body's digest (cached snippets are checked against it); with `headline`
    PostgreSQL's headline for `q`."""
    extra = {} if body else {"body_digest": MD5("body_html")}
    if headline:
        extra["headline"] = _headline(q)
    return Item.objects.filter(compiled_queries.any_of("pk", ids)).annotate(**extra)


# The ORM built and compiled the rows' query on every view: search_page_rows
# took 2.6-2.7 ms of CPU that way, 1.8-1.9 ms compiled (20 rows, 200 calls);
# the query runs in ~0.2 ms.
def _page_items(ids, q: str, *, body: bool, headline: bool) -> list[Item]:
    """The items of `ids` (in no order) as `.select_related(*LIST_RELATED)
    .only(*LIST_ROW_FIELDS)` reads them, with `body_html` (`body`) or
    `body_digest`, and `headline` when asked for."""
    values = {"ids": compiled_queries.id_array(ids)}
    if headline:
        values["q"] = q
    return compiled_queries.instances(
        f"search-page-rows:{int(body)}{int(headline)}",
        lambda **stand_ins: _page_rows_query(body=body, headline=headline, **stand_ins),
        only=(*LIST_ROW_FIELDS, *(("body_html",) if body else ())),
        extra=(() if body else ("body_digest",)) + (("headline",) if headline else ()),
        **values,
    )


def search_page_rows(
    *,
    ids,
    q: str,
    visible_ids,
    community: Community | None = None,
    kind: str = "",
    tag: str = "",
    author: User | None = None,
    open_only: bool = False,
) -> list[Item]:
    """search_page_items for the search page, where `ids` may come from the
    cache (search_results): of the rows read now, only those in a community
    the viewer may see (`visible_ids`, read fresh on this view), not hidden,
    and still passing the filters are kept, so a write that did not bump
    the cache (the admin, a bulk job) never shows a hidden or private item
    or one the filters leave out. The words need no such check: the stored
    vector is only written by search_vectors_refresh and
    items_tag_names_refresh, which bump. Checked here rather than in SQL:
    the rows are read anyway, and the ORM's SQL for the gate cost more than
    the check.

    Each row comes with its `snippet` (search_snippet); with words, those
    of earlier views are read from the cache (_snippets_known, checked
    against a digest of each body read now). PostgreSQL computes headlines
    in the same query when some are not cached, and in a second one only
    for a body that changed since its snippet was cached."""
    if not ids:
        return []
    q = q.strip()
    words = search_words(q)
    found, known = _snippets_known(ids, words) if words else (0, {})
    # The body only for the snippets of a search without words (search_snippet).
    items = _page_items(
        ids, q, body=not words, headline=bool(words) and found < len(ids)
    )

    def shown(item: Item) -> bool:
        return (
            item.community_id in visible_ids
            and item.hidden_at is None
            and (community is None or item.community_id == community.pk)
            and (not kind or item.kind == kind)
            and (author is None or item.author_id == author.pk)
            and (not open_only or item.is_open_question)
            and (not tag or tag in item.tag_list)
        )

    by_id = {item.pk: item for item in items if shown(item)}
    rows = [by_id[pk] for pk in ids if pk in by_id]
    if not words:
        for item in rows:
            item.snippet = search_snippet(item, q)
        return rows
    edited = [
        item
        for item in rows
        if item.body_digest not in known and not hasattr(item, "headline")
    ]
    if edited:
        headlines = dict(
            Item.objects.filter(pk__in=[item.pk for item in edited])
            .annotate(headline=_headline(q))
            .values_list("pk", "headline")
        )
        for item in edited:
            item.headline = headlines.get(item.pk) or ""
    new = {}
    for item in rows:
        if item.body_digest in known:
            item.snippet = known[item.body_digest]
        else:
            item.snippet = search_snippet(item, q)
            new[_snippet_key(item.pk, words)] = (item.body_digest, str(item.snippet))
    if new:
        cache.set_many(new, SNIPPET_TIMEOUT)
    return rows


# A snippet is only a function of the body and the words: nothing to
# invalidate, so this only bounds what an idle cache keeps.
SNIPPET_TIMEOUT = 60 * 60


# Part of every snippet's key: change it with search_snippet's output, so a
# deploy never serves snippets cut the old way.
_SNIPPET_FORMAT = 1


def _snippet_key(pk: int, words: str) -> str:
    digest = hashlib.sha256(words.encode()).hexdigest()[:24]
    return f"search-snippet:{_SNIPPET_FORMAT}:{pk}:{digest}"


def _snippets_known(ids, words: str) -> tuple[int, dict]:
    """How many of these items have a snippet for `words` cached by earlier
    views, and {digest of the body it was cut from: the snippet}: an entry
    whose body has changed since is not matched by the row's digest (and is
    replaced)."""
    found = cache.get_many([_snippet_key(pk, words) for pk in ids])
    return len(found), {
        digest: mark_safe(snippet)  # noqa: S308 - cleaned by search_snippet
        for digest, snippet in found.values()
    }


def search_snippet(item: Item, q: str) -> str:
    """Safe HTML: the text escaped, only <mark> highlights allowed."""
    headline = getattr(item, "headline", None)
    if headline is not None:
        marked = (
            escape(_readable(headline))
            .replace(_HL_START, "<mark>")
            .replace(_HL_STOP, "</mark>")
        )
    else:
        text = _readable(strip_tags(item.body_html))
        text = text[:240] + ("…" if len(text) > 240 else "")
        marked = escape(text)
        needle = escape(q.strip())
        if needle:
            marked = re.sub(
                re.escape(needle),
                lambda m: f"<mark>{m.group(0)}</mark>",
                marked,
                flags=re.I,
            )
    return mark_safe(nh3.clean(marked, tags={"mark"}, attributes={}))  # noqa: S308
