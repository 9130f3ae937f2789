"""Writes to knowledge. Every state change goes through here.

Counters on Item (reply_count, helpful_count, first_reply_at,
last_activity_at) are kept with F() updates so concurrent requests do not
overwrite each other, and the stored search vector is refreshed whenever a
title, body or tags change.
"""

from collections import defaultdict

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Subquery, TextField, Value
from django.db.models.functions import Coalesce, Collate, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.access import can_view_content
from communities.models import Membership
from communities.services import community_record_activity, welcome_step_complete
from knowledge import attachments, mentions, revisions, watching
from knowledge.models import (
    Adoption,
    HelpfulMark,
    Item,
    ItemKind,
    ItemTag,
    Reply,
    activity_for_kind,
)
from knowledge.reply_fragments import item_version
from knowledge.selectors.adoptions import adoptions_version
from knowledge.selectors.feeds import community_items_version
from knowledge.selectors.search import SEARCH_RESULTS_VERSION
from knowledge.selectors.tags import tag_versions
from knowledge.similarity import similarity_refresh_later
from members.audit import audit_record
from members.events import event_emit
from members.markup import markdown_to_html
from members.models import AuditAction
from members.tags import tags_normalise
from members.versioned_cache import bump
from members.wording import in_sentence_lazy
from notifications.services import notify


def search_vector_expression():
    """Title weighs most, then tags, then body."""
    return (
        SearchVector("title", weight="A", config="english")
        + SearchVector("tag_names", weight="B", config="english")
        + SearchVector("body", weight="C", config="english")
    )


def search_results_changed() -> None:
    """What search finds or how it ranks it may have changed (an item's
    words, tags or kind, whether it is hidden, whether a question is open):
    every cached list of results (selectors.search_results) is searched
    afresh, now and once this transaction commits."""
    bump(SEARCH_RESULTS_VERSION)


def search_vectors_refresh(*, item_ids) -> None:
    """Recompute the stored search vector of these items."""
    Item.objects.filter(pk__in=list(item_ids)).update(
        search_vector=search_vector_expression()
    )
    search_results_changed()


def items_tag_names_refresh(*, item_model=Item, link_model=ItemTag) -> int:
    """Re-derive tag_names, and the search vector, of every item whose copy no
    longer matches its tag links (after stored tags were renamed or merged:
    members.tags.tags_renormalise). Takes a migration's historical models.
    Returns how many items changed."""
    names = (
        link_model.objects.filter(content_object_id=OuterRef("pk"))
        .values("content_object_id")
        # Code point order ("C"), as services sort names in Python.
        .annotate(names=StringAgg("tag__name", " ", order_by=Collate("tag__name", "C")))
        .values("names")
    )
    stale = (
        item_model.objects.annotate(
            derived=Coalesce(Subquery(names), Value(""), output_field=TextField())
        )
        .exclude(tag_names=F("derived"))
        .values_list("pk", "derived")
    )
    by_names = defaultdict(list)
    for pk, derived in stale:
        by_names[derived].append(pk)
    for derived, pks in by_names.items():
        item_model.objects.filter(pk__in=pks).update(tag_names=derived)
    changed = [pk for pks in by_names.values() for pk in pks]
    item_model.objects.filter(pk__in=changed).update(
        search_vector=search_vector_expression()
    )
    if changed:
        search_results_changed()
    return len(changed)


def _notify_if_visible(*, recipient, item, **kwargs) -> None:
    """Nobody hears about content they may no longer see (e.g. after leaving
    a private community)."""
    if recipient is None or not recipient.is_active:
        return
    if not can_view_content(recipient, item.community):
        return
    actor = kwargs.get("actor")
    if watching.is_silenced(
        user_id=recipient.pk, item=item, actor_id=actor.pk if actor else None
    ):
        return  # they muted the item, its community, a tag or the actor
    notify(recipient=recipient, url=item.get_absolute_url(), **kwargs)


# For knowledge's verb modules (reply_marks) that tell people the same way.
notify_if_visible = _notify_if_visible


def tag_pages_changed(*, item: Item, tags=()) -> None:
    """What the pages of `item`'s tags (and of `tags`) show from it changed:
    its place among a tag's latest items, its helpful marks, its accepted
    answer, its replies' marks, whether it is hidden. Their cached experts
    are recomputed after this transaction commits, and so are the item's
    own page's replies (each of these changes shows there too), and which
    items its community's lists on the home page hold."""
    bump(
        item_version(item.pk),
        community_items_version(item.community_id),
        *tag_versions([*item.tag_names.split(), *tags]),
    )


def item_page_changed(*, item_id: int) -> None:
    """What the item's page shows of its replies changed (a new reply, an
    edit, a recommendation): their cached parts (knowledge.reply_fragments)
    are rendered afresh after this transaction commits."""
    bump(item_version(item_id))


def _item_insert(
    *, author, community, kind, title, body, tags, activity="", **extra
) -> Item:
    tags = tags_normalise(tags)
    item = Item(
        community=community,
        kind=kind,
        activity=activity or activity_for_kind(kind),
        title=title.strip(),
        body=body,
        body_html=markdown_to_html(body),
        author=author,
        tag_names=" ".join(tags),
        **extra,
    )
    item.full_clean()
    item.save()
    if tags:
        item.tags.set(tags)
    attachments.attachments_link(acting_user=author, item=item, body=body)
    search_vectors_refresh(item_ids=[item.pk])
    similarity_refresh_later(item_id=item.pk)
    community_record_activity(community_id=community.pk, at=item.created_at)
    tag_pages_changed(item=item)
    return item


def _submitted_once(model, *, author, submission_token, create):
    """Run `create()` unless this author's form with this one-time token
    already made a row: then return that row. Two requests racing with the
    same token meet at the unique constraint; the loser returns the winner's
    row. Returns (row, created)."""
    if submission_token is None:
        return create(), True
    existing = model.objects.filter(
        author=author, submission_token=submission_token
    ).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return create(), True
    except (IntegrityError, ValidationError):
        # full_clean() reports the unique constraint as a ValidationError
        # when the other request committed between the check above and it.
        existing = model.objects.filter(
            author=author, submission_token=submission_token
        ).first()
        if existing is None:
            raise  # another constraint failed: not a double submit
        return existing, False


@transaction.atomic
def item_create(
    *,
    author,
    community,
    kind: str,
    title: str,
    body: str,
    tags=(),
    submission_token=None,
    activity: str = "",
    experiment: dict | None = None,
) -> Item:
    """Publish an item in a community. Callers check permission first. The
    same `submission_token` twice publishes once. `activity` empty: the
    kind's; an experiment brings its own fields in `experiment`
    (knowledge.experiments)."""
    from knowledge import experiments

    if kind == ItemKind.EXPERIMENT and not experiment:
        raise ValidationError(
            _("An experiment needs a hypothesis, a trial, a measure and a date.")
        )

    def create():
        item = _item_insert(
            author=author,
            community=community,
            kind=kind,
            title=title,
            body=body,
            tags=tags,
            submission_token=submission_token,
            activity=activity,
        )
        if kind == ItemKind.EXPERIMENT:
            experiments.experiment_record(item=item, acting_user=author, **experiment)
        welcome_step_complete(user=author, community=community, step="introduce")
        watching.watch_on_post(user=author, item=item)
        watching.fanout_enqueue(item=item)
        mentions.mentions_record(item=item, author=author)
        event_emit(event="item.created", object_id=item.pk)
        return item

    item, _created = _submitted_once(
        Item, author=author, submission_token=submission_token, create=create
    )
    return item


@transaction.atomic
def item_update(
    *,
    item: Item,
    acting_user,
    kind: str,
    title: str,
    body: str,
    tags=(),
    activity: str = "",
    experiment: dict | None = None,
):
    """Edit an item. `activity` empty keeps the item's own (or takes the new
    kind's when the kind changes). An experiment stays one, and another kind
    cannot become one: the experiment's record would not match."""
    from knowledge import experiments

    was_experiment = item.kind == ItemKind.EXPERIMENT
    if was_experiment != (kind == ItemKind.EXPERIMENT):
        raise ValidationError(
            {"kind": _("An experiment stays an experiment; start a new one instead.")}
        )
    revisions.revision_baseline(item=item)
    tags = tags_normalise(tags)
    tags_before = item.tag_names.split()
    if activity:
        item.activity = activity
    elif kind != item.kind:
        item.activity = activity_for_kind(kind)
    item.kind = kind
    item.title = title.strip()
    item.body = body
    item.body_html = markdown_to_html(body)
    item.tag_names = " ".join(tags)
    item.edited_at = timezone.now()
    item.full_clean(exclude=["accepted_reply"])
    item.save(
        update_fields=[
            "kind",
            "activity",
            "title",
            "body",
            "body_html",
            "tag_names",
            "edited_at",
        ]
    )
    if was_experiment and experiment:
        experiments.experiment_update(item=item, acting_user=acting_user, **experiment)
    item.tags.set(tags)
    attachments.attachments_link(acting_user=acting_user, item=item, body=body)
    search_vectors_refresh(item_ids=[item.pk])
    revisions.revision_add(item=item, acting_user=acting_user)
    mentions.mentions_record(item=item, author=acting_user)
    similarity_refresh_later(item_id=item.pk)
    tag_pages_changed(item=item, tags=tags_before)
    return item


def _audit(acting_user, action, target, community_id: int) -> None:
    audit_record(
        actor=acting_user, action=action, target=target, community_id=community_id
    )


@transaction.atomic
def item_hide(*, item: Item, acting_user) -> None:
    """ "Delete" hides: stewards can bring it back."""
    if item.is_hidden:
        return
    item.hidden_at = timezone.now()
    item.hidden_by = acting_user
    item.save(update_fields=["hidden_at", "hidden_by"])
    _audit(acting_user, AuditAction.ITEM_HIDDEN, item, item.community_id)
    tag_pages_changed(item=item)
    search_results_changed()


@transaction.atomic
def item_restore(*, item: Item, acting_user) -> None:
    was_hidden = item.hidden_at is not None
    item.hidden_at = None
    item.hidden_by = None
    item.save(update_fields=["hidden_at", "hidden_by"])
    if was_hidden:
        _audit(acting_user, AuditAction.ITEM_RESTORED, item, item.community_id)
        tag_pages_changed(item=item)
        search_results_changed()


def item_opened(*, acting_user, item: Item, membership) -> None:
    """A member opened an item: reading one of the community's most helpful
    items ticks the newcomer's "read" step."""
    from knowledge.selectors import is_among_most_helpful

    if membership is None or not membership.is_active:
        return
    if membership.read_helpful_at is not None:
        return
    if is_among_most_helpful(item):
        welcome_step_complete(user=acting_user, community=item.community, step="read")


@transaction.atomic
def reply_create(*, item: Item, author, body: str, submission_token=None) -> Reply:
    """Reply once per one-time `submission_token`, however often it is sent."""
    reply, _created = _submitted_once(
        Reply,
        author=author,
        submission_token=submission_token,
        create=lambda: _reply_insert(
            item=item, author=author, body=body, submission_token=submission_token
        ),
    )
    return reply


def _reply_insert(*, item: Item, author, body: str, submission_token) -> Reply:
    now = timezone.now()
    reply = Reply(
        item=item,
        author=author,
        body=body,
        body_html="",
        created_at=now,
        submission_token=submission_token,
    )
    reply.body_html = markdown_to_html(body)
    reply.full_clean()
    reply.save()
    attachments.attachments_link(acting_user=author, item=item, reply=reply, body=body)
    item_page_changed(item_id=item.pk)
    Item.objects.filter(pk=item.pk).update(
        reply_count=F("reply_count") + 1,
        first_reply_at=Coalesce(F("first_reply_at"), Value(now)),
        last_activity_at=Greatest(F("last_activity_at"), Value(now)),
    )
    community_record_activity(community_id=item.community_id, at=now)
    watching.watch_on_post(user=author, item=item)
    watching.fanout_enqueue(item=item, reply=reply)
    mentions.mentions_record(item=item, reply=reply, author=author)
    if item.is_question:
        message = gettext_lazy("%(name)s answered your question “%(title)s”")
    else:
        message = gettext_lazy("%(name)s replied to “%(title)s”")
    _notify_if_visible(
        recipient=item.author,
        item=item,
        kind="knowledge.reply",
        message=message,
        params={"name": author.display_name, "title": item.title},
        actor=author,
    )
    return reply


@transaction.atomic
def reply_update(*, reply: Reply, acting_user, body: str) -> Reply:
    revisions.revision_baseline(item=None, reply=reply)
    reply.body = body
    reply.body_html = markdown_to_html(body)
    reply.edited_at = timezone.now()
    reply.full_clean()
    reply.save(update_fields=["body", "body_html", "edited_at"])
    attachments.attachments_link(acting_user=acting_user, reply=reply, body=body)
    item_page_changed(item_id=reply.item_id)
    revisions.revision_add(item=None, reply=reply, acting_user=acting_user)
    mentions.mentions_record(reply=reply, author=acting_user)
    return reply


@transaction.atomic
def reply_hide(*, reply: Reply, acting_user) -> bool:
    """Hide a reply; False if it was hidden already. The conditional update
    lets only one of two simultaneous requests change the counters."""
    now = timezone.now()
    if not Reply.objects.filter(pk=reply.pk, hidden_at__isnull=True).update(
        hidden_at=now, hidden_by=acting_user
    ):
        return False
    reply.hidden_at, reply.hidden_by = now, acting_user
    _audit(acting_user, AuditAction.REPLY_HIDDEN, reply, reply.item.community_id)
    Item.objects.filter(pk=reply.item_id, reply_count__gt=0).update(
        reply_count=F("reply_count") - 1
    )
    # A hidden reply cannot stand as the accepted answer.
    if Item.objects.filter(pk=reply.item_id, accepted_reply=reply).update(
        accepted_reply=None
    ):
        search_results_changed()  # the question is open again
    tag_pages_changed(item=reply.item)
    return True


@transaction.atomic
def reply_restore(*, reply: Reply, acting_user) -> bool:
    """Restore a hidden reply; False if it was visible already."""
    if not Reply.objects.filter(pk=reply.pk, hidden_at__isnull=False).update(
        hidden_at=None, hidden_by=None
    ):
        return False
    reply.hidden_at, reply.hidden_by = None, None
    _audit(acting_user, AuditAction.REPLY_RESTORED, reply, reply.item.community_id)
    Item.objects.filter(pk=reply.item_id).update(reply_count=F("reply_count") + 1)
    tag_pages_changed(item=reply.item)
    return True


@transaction.atomic
def answer_accept(*, item: Item, reply: Reply, acting_user) -> None:
    if reply.item_id != item.pk or reply.is_hidden or not item.is_question:
        raise ValidationError(_("Only a visible answer to this question."))
    # Conditional: of two simultaneous accepts, the second changes nothing
    # (PostgreSQL re-checks the condition once the first commits), so the
    # answerer is told once.
    changed = (
        Item.objects.filter(pk=item.pk)
        .exclude(accepted_reply=reply)
        .update(accepted_reply=reply)
    )
    item.accepted_reply = reply
    if not changed:
        return
    tag_pages_changed(item=item)
    search_results_changed()
    event_emit(event="answer.accepted", object_id=reply.pk)
    _notify_if_visible(
        recipient=reply.author,
        item=item,
        kind="knowledge.answer_accepted",
        message=gettext_lazy("Your answer to “%(title)s” was accepted"),
        params={"title": item.title},
        actor=acting_user,
    )
    if acting_user.pk != item.author_id and reply.author_id != item.author_id:
        # A steward chose for the asker: the asker hears it (their own
        # answer accepted, they heard it just above).
        _notify_if_visible(
            recipient=item.author,
            item=item,
            kind="knowledge.answer_accepted_for_you",
            message=gettext_lazy(
                "%(steward)s accepted %(answerer)s’s answer to your question "
                "“%(title)s”"
            ),
            params={
                "steward": acting_user.display_name,
                "answerer": reply.author.display_name,
                "title": item.title,
            },
            actor=acting_user,
        )


@transaction.atomic
def answer_unaccept(*, item: Item, acting_user) -> None:
    item.accepted_reply = None
    item.save(update_fields=["accepted_reply"])
    tag_pages_changed(item=item)
    search_results_changed()


@transaction.atomic
def helpful_set(*, item: Item, acting_user, helpful: bool) -> bool:
    """Set the member's "this helped me" mark to `helpful`. Idempotent per
    state; returns whether anything changed."""
    if helpful:
        _mark, created = HelpfulMark.objects.get_or_create(item=item, user=acting_user)
        if not created:
            return False
        Item.objects.filter(pk=item.pk).update(helpful_count=F("helpful_count") + 1)
        tag_pages_changed(item=item)
        _notify_if_visible(
            recipient=item.author,
            item=item,
            kind="knowledge.helpful",
            message=gettext_lazy("%(name)s found “%(title)s” helpful"),
            params={"name": acting_user.display_name, "title": item.title},
            actor=acting_user,
        )
        return True
    deleted, _details = HelpfulMark.objects.filter(item=item, user=acting_user).delete()
    if not deleted:
        return False
    Item.objects.filter(pk=item.pk, helpful_count__gt=0).update(
        helpful_count=F("helpful_count") - 1
    )
    tag_pages_changed(item=item)
    return True


def _check_target(*, user, community, verb: str) -> None:
    if community.is_archived:
        raise ValidationError(_("That community is archived."))
    active = Membership.objects.filter(
        user_id=user.pk, community=community, status=Membership.Status.ACTIVE
    ).exists()
    if not active:
        raise ValidationError(
            _("You can only %(verb)s communities you are an active member of.")
            % {"verb": verb}
        )


@transaction.atomic
def item_share(*, item: Item, community, acting_user, note: str = "") -> Item:
    """A linked copy of `item` in `community`, crediting origin and author.

    A private community's item travels as a link only: the copy holds the
    title and the sharer's note, never the private body or tags; members of
    the origin follow the link to read it there."""
    _check_target(user=acting_user, community=community, verb=_("share into"))
    if community.pk == item.community_id:
        raise ValidationError(_("It already lives in that community."))
    if item.shared_from_id:
        raise ValidationError(_("Share the original, not a copy."))
    if Item.objects.filter(shared_from=item, community=community).exists():
        raise ValidationError(_("It has already been shared there."))
    note = note.strip()
    if item.community.is_private:
        if not note:
            raise ValidationError(
                _("Say in a note what it is about: the text stays private.")
            )
        body, author, tags = note, acting_user, []
    else:
        body, author, tags = item.body, item.author, item.tags.names()
    # The original is no longer ready to spread (dashboards.spread_next).
    bump(community_items_version(item.community_id))
    return _item_insert(
        author=author,
        community=community,
        kind=item.kind,
        title=item.title,
        body=body,
        tags=tags,
        activity=item.activity,
        shared_from=item,
        shared_by=acting_user,
        share_note=note,
    )


@transaction.atomic
def adoption_record(*, item: Item, community, acting_user, note: str = "") -> Adoption:
    """Community B records that it adopted item's practice from community A."""
    _check_target(user=acting_user, community=community, verb=_("record adoptions for"))
    if community.pk == item.community_id:
        raise ValidationError(_("Adoptions are recorded by other communities."))
    if Adoption.objects.filter(item=item, community=community).exists():
        raise ValidationError(_("That community has already recorded it."))
    adoption = Adoption(
        item=item,
        community=community,
        recorded_by=acting_user,
        note=note,
        created_at=timezone.now(),
    )
    adoption.full_clean()
    adoption.save()
    event_emit(event="adoption.recorded", object_id=adoption.pk)
    from knowledge.adoptions import adoption_checkins_schedule

    adoption_checkins_schedule(adoption=adoption)
    # Its origin's stick rate changed and the item is no longer ready to
    # spread (dashboards.spread_next).
    bump(
        adoptions_version(item.community_id),
        community_items_version(item.community_id),
    )
    Item.objects.filter(pk=item.pk).update(
        last_activity_at=Greatest(F("last_activity_at"), Value(adoption.created_at))
    )
    label = in_sentence_lazy(dict(ItemKind.choices)[item.kind])
    _notify_if_visible(
        recipient=item.author,
        item=item,
        kind="knowledge.adopted",
        message=gettext_lazy("%(community)s adopted your %(kind)s “%(title)s”"),
        params={"community": community.name, "kind": label, "title": item.title},
        actor=acting_user,
    )
    return adoption
