"""Adoption follow-through (Henschel: build on existing pockets of
innovation, spread what already works). Recording "we adopted this"
schedules check-ins at 30 and 90 days; a daily job tells the adopter once
when one falls due; they answer kept, adapted (how, optionally published as
a linked variant in their community) or dropped (why).

An adoption *lasted* when its latest answered check-in says kept or
adapted; with no answer yet its outcome is not yet known (never counted as
lasting). Pockets of innovation (dashboards.spread) and an origin
community's stick rate (selectors.adoptions) count only adoptions that
lasted.
"""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.access import can_view_content, is_steward, membership_of
from knowledge import permissions as perms
from knowledge.models import (
    ADOPTION_CHECKIN_DAYS,
    Adoption,
    AdoptionCheckIn,
    CheckInAnswer,
)
from knowledge.selectors.adoptions import adoptions_version
from members.permissions import check_signed_in
from members.versioned_cache import bump
from notifications.services import notify


def adoption_checkins_schedule(*, adoption: Adoption) -> list[AdoptionCheckIn]:
    """The adoption's check-ins, dated from the day it was recorded."""
    start = timezone.localdate(adoption.created_at)
    return AdoptionCheckIn.objects.bulk_create(
        [
            AdoptionCheckIn(
                adoption=adoption, day=day, due_on=start + timedelta(days=day)
            )
            for day in ADOPTION_CHECKIN_DAYS
        ],
        ignore_conflicts=True,
    )


def adoption_checkins_notify(*, today: date | None = None) -> int:
    """Tell each adopter about every unanswered check-in due by `today`,
    exactly once: the row is claimed (notified_at set) by a conditional
    update before anyone is told, so a second run, or two at once, find
    nothing. Someone who can no longer see the adopting community is not
    told (the claim still stands). Returns how many were told."""
    today = today or timezone.localdate()
    due = (
        AdoptionCheckIn.objects.filter(
            due_on__lte=today, notified_at__isnull=True, answer=""
        )
        .order_by("due_on", "pk")
        .values_list("pk", flat=True)
    )
    told = 0
    for pk in list(due):
        told += _notify_one(pk)
    return told


@transaction.atomic
def _notify_one(pk: int) -> int:
    claimed = AdoptionCheckIn.objects.filter(pk=pk, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    if not claimed:
        return 0
    checkin = AdoptionCheckIn.objects.select_related(
        "adoption__recorded_by", "adoption__community", "adoption__item"
    ).get(pk=pk)
    adoption = checkin.adoption
    adopter = adoption.recorded_by
    if adopter is None or not adopter.is_active:
        return 0
    if not can_view_content(adopter, adoption.community):
        return 0
    notify(
        recipient=adopter,
        kind="knowledge.adoption_checkin",
        message=gettext_lazy(
            "%(days)s days ago %(community)s adopted “%(title)s”: did it last? "
            "Kept, adapted or dropped?"
        ),
        params={
            "days": checkin.day,
            "community": adoption.community.name,
            "title": adoption.item.title,
        },
        url=checkin.get_absolute_url(),
    )
    return 1


# --- Who may see and answer -----------------------------------------------------


def can_view_checkin(user, checkin: AdoptionCheckIn) -> bool:
    """Whoever may read both the adopting community and the adopted item."""
    if not user.is_authenticated:
        return False
    adoption = checkin.adoption
    item = adoption.item
    if not can_view_content(user, adoption.community):
        return False
    return perms.can_view_item(
        user, item, perms.membership_or_outsider(user, item.community)
    )


def can_answer_checkin(user, checkin: AdoptionCheckIn, *, today=None) -> bool:
    """The member who recorded the adoption, or a steward of the adopting
    community (staff too), once the check-in is due and while unanswered."""
    if not can_view_checkin(user, checkin) or checkin.is_answered:
        return False
    if checkin.due_on > (today or timezone.localdate()):
        return False
    community = checkin.adoption.community
    if community.is_archived:
        return False
    if user.is_staff:
        return True
    membership = membership_of(user, community)
    if membership is None or not membership.is_active:
        return False
    return user.pk == checkin.adoption.recorded_by_id or is_steward(
        user, community, membership
    )


def access_checkin(user, pk: int, *, for_update: bool = False) -> AdoptionCheckIn:
    """A check-in for its page or an action, or 404 for who may not see it."""
    qs = AdoptionCheckIn.objects.select_related(
        "adoption__community",
        "adoption__item__community",
        "adoption__item__author",
        "adoption__recorded_by",
        "answered_by",
        "variant__community",
    )
    if for_update:
        qs = qs.select_for_update(of=("self",))
    checkin = get_object_or_404(qs, pk=pk)
    if not can_view_checkin(user, checkin):
        raise Http404
    return checkin


# --- Answering ------------------------------------------------------------------


def _variant_body(*, adoption: Adoption, note: str) -> str:
    item = adoption.item
    if item.community.is_private:
        source = _("an item of a private community ([link](%(url)s))") % {
            "url": item.get_absolute_url()
        }
    else:
        source = _("[%(title)s](%(url)s) from %(community)s") % {
            "title": item.title,
            "url": item.get_absolute_url(),
            "community": item.community.name,
        }
    return "\n".join(
        [
            f"## {_('How we adapted it')}",
            note,
            "",
            _("Our variant of %(source)s.") % {"source": source},
        ]
    )


@transaction.atomic
def adoption_checkin_answer(
    *,
    checkin: AdoptionCheckIn,
    acting_user,
    answer: str,
    note: str = "",
    publish_variant: bool = False,
    variant_title: str = "",
) -> AdoptionCheckIn:
    """Answer a due check-in once: kept, adapted (how) or dropped (why). An
    adapted practice may be published as a linked variant item in the
    adopting community (a private origin's title never travels there: the
    variant needs a title of its own)."""
    from knowledge.services import item_create

    checkin = AdoptionCheckIn.objects.select_for_update().get(pk=checkin.pk)
    if checkin.is_answered:
        raise ValidationError(_("This check-in has been answered already."))
    if checkin.due_on > timezone.localdate():
        raise ValidationError(
            _("This check-in is due on %(day)s.") % {"day": checkin.due_on}
        )
    note = note.strip()
    if answer not in CheckInAnswer.values:
        raise ValidationError({"answer": _("Choose kept, adapted or dropped.")})
    if answer != CheckInAnswer.KEPT and not note:
        raise ValidationError({"note": _("Say how you adapted it, or why not.")})
    adoption = Adoption.objects.select_related("item__community", "community").get(
        pk=checkin.adoption_id
    )
    checkin.answer = answer
    checkin.note = note
    checkin.answered_by = acting_user
    checkin.answered_at = timezone.now()
    if publish_variant:
        if answer != CheckInAnswer.ADAPTED:
            raise ValidationError(
                {"publish_variant": _("Only an adapted practice has a variant.")}
            )
        title = variant_title.strip()
        if not title:
            if adoption.item.community.is_private:
                raise ValidationError(
                    {
                        "variant_title": _(
                            "Give the variant a title: the original's stays in "
                            "its private community."
                        )
                    }
                )
            title = (_("%(title)s (our variant)") % {"title": adoption.item.title})[
                :200
            ]
        # The original's tags, or (a private original's stay there) the
        # adopting community's topics.
        tags = (
            adoption.community.tags.names()
            if adoption.item.community.is_private
            else adoption.item.tag_list
        )
        checkin.variant = item_create(
            author=acting_user,
            community=adoption.community,
            kind=adoption.item.kind,
            title=title,
            body=_variant_body(adoption=adoption, note=note),
            tags=tags,
            activity=adoption.item.activity,
        )
    checkin.full_clean(exclude=["adoption", "variant", "answered_by"])
    checkin.save(
        update_fields=["answer", "note", "answered_by", "answered_at", "variant"]
    )
    bump(adoptions_version(adoption.origin_community_id))  # its stick rate
    return checkin


@transaction.atomic
def check_adoption_checkin_answer(*, acting_user, checkin_id: int, **fields):
    check_signed_in(acting_user)
    checkin = access_checkin(acting_user, checkin_id, for_update=True)
    if not can_answer_checkin(acting_user, checkin):
        raise PermissionDenied
    return adoption_checkin_answer(checkin=checkin, acting_user=acting_user, **fields)
