"""Drafts: an unfinished item kept for its author alone.

A draft lives in its own table (knowledge.models.Draft), not as an Item
with a status: every reader of items (feeds, search, tag pages, profiles,
counters, digests, dashboards, notifications, mentor suggestions) stays
blind to drafts without a filter anyone could forget. Publishing goes
through check_item_create, so the item is born exactly as if written in one
go: notifications, counters, welcome steps and search happen then. Files
attached while drafting stay their uploader's alone until then.
"""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.access import access_community
from knowledge import checks
from knowledge import permissions as perms
from knowledge.models import Draft, ItemKind
from members.permissions import check_signed_in


class DraftForm(forms.Form):
    """What a draft keeps: anything typed so far, checked only for length."""

    kind = forms.ChoiceField(choices=ItemKind.choices)
    title = forms.CharField(required=False, max_length=200)
    body = forms.CharField(required=False, max_length=50000)
    tags = forms.CharField(required=False, max_length=500)

    def clean(self):
        data = super().clean()
        if not (data.get("title", "").strip() or data.get("body", "").strip()):
            raise ValidationError(
                gettext_lazy("Write a title or some text before saving a draft.")
            )
        return data


def draft_save(*, acting_user, community, draft=None, kind, title, body, tags) -> Draft:
    draft = draft or Draft(author=acting_user, community=community)
    draft.kind, draft.title, draft.body, draft.tags = kind, title.strip(), body, tags
    draft.updated_at = timezone.now()
    draft.full_clean()
    draft.save()
    return draft


def access_draft(user, pk: int) -> Draft:
    """A draft for its author only: 404 for everyone else, staff included."""
    check_signed_in(user)
    draft = Draft.objects.select_related("community").filter(pk=pk).first()
    if draft is None or draft.author_id != user.pk:
        raise Http404
    return draft


@transaction.atomic
def check_draft_save(
    *, acting_user, community_slug: str | None = None, draft_id=None, **fields
) -> Draft:
    """Start a draft in a community where the acting user may post, or save
    their draft `draft_id` again."""
    if draft_id is not None:
        draft = access_draft(acting_user, draft_id)
        return draft_save(
            acting_user=acting_user, community=draft.community, draft=draft, **fields
        )
    check_signed_in(acting_user)
    community, membership = access_community(acting_user, community_slug)
    if not perms.can_post(acting_user, community, membership):
        raise PermissionDenied(_("Only active members post, and not when archived."))
    return draft_save(acting_user=acting_user, community=community, **fields)


@transaction.atomic
def check_draft_publish(*, acting_user, draft_id: int, **fields):
    """Publish the draft as an item (with the checks of any new item) and
    let the draft go."""
    draft = access_draft(acting_user, draft_id)
    item = checks.check_item_create(
        acting_user=acting_user, community_slug=draft.community.slug, **fields
    )
    draft.delete()
    return item


@transaction.atomic
def check_draft_delete(*, acting_user, draft_id: int) -> None:
    access_draft(acting_user, draft_id).delete()


def drafts_of(user):
    """The member's drafts, last saved first."""
    return (
        Draft.objects.filter(author=user)
        .select_related("community")
        .order_by("-updated_at", "-id")
    )


def draft_initial(draft: Draft) -> dict:
    return {
        "kind": draft.kind,
        "title": draft.title,
        "body": draft.body,
        "tags": draft.tags,
    }
