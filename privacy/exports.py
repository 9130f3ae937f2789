"""Download my data: everything a member gave Practica, as JSON files in one
zip, built by a job and fetched through a signed link that expires.

"Their own data" is what they wrote, did or set: their profile, memberships,
items, replies, edits, files, marks, adoptions, follows, drafts, mentoring
records and notifications. What others wrote (replies to their question, a
partner's check-in) is not theirs and stays out; mentoring records name the
other person only by display name, as the member saw them."""

import io
import json
import zipfile
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from communities.models import Membership
from journeys.models import Aspiration, PlanStep
from knowledge.models import (
    Adoption,
    Attachment,
    Draft,
    Follow,
    HelpfulMark,
    Item,
    Reply,
    Revision,
)
from members.avatars import avatar_file
from members.jobs import enqueue_on_commit
from members.models import User
from mentoring.models import (
    Assumption,
    CheckIn,
    Commitment,
    Feedback,
    Goal,
    MentoringRequest,
    MentorOffer,
    Pair,
)
from notifications.models import Notification
from notifications.services import notify
from privacy.models import DataExport, ExportStatus

_LINK_SALT = "privacy.export"
PROFILE_FIELDS = (
    "email",
    "username",
    "display_name",
    "first_name",
    "last_name",
    "job_title",
    "business_unit",
    "location",
    "bio",
    "leadership_role",
    "digest_frequency",
    "notification_emails",
    "time_zone",
    "language",
    "date_joined",
    "last_login",
)


def _storage():
    return storages["attachments"]


def _datasets(member: User) -> dict[str, list[dict]]:
    """Every file of the export: name -> rows. Each query filters on the
    member, so nothing of anyone else's can slip in."""
    pairs = Pair.objects.filter(Q(mentor=member) | Q(mentee=member))
    return {
        "memberships": Membership.objects.filter(user=member).values(
            "id",
            "role",
            "status",
            "joined_at",
            "digest_muted",
            community_name=F("community__name"),
            community_slug=F("community__slug"),
        ),
        "items": Item.objects.filter(author=member).values(
            "id",
            "kind",
            "title",
            "body",
            "tag_names",
            "created_at",
            "edited_at",
            "hidden_at",
            community_name=F("community__name"),
        ),
        "replies": Reply.objects.filter(author=member).values(
            "id",
            "body",
            "created_at",
            "edited_at",
            "item_id",
            item_title=F("item__title"),
        ),
        "revisions": Revision.objects.filter(author=member).values(
            "id", "item_id", "reply_id", "number", "title", "body", "created_at"
        ),
        "attachments": Attachment.objects.filter(uploader=member).values(
            "id",
            "name",
            "kind",
            "content_type",
            "size",
            "item_id",
            "reply_id",
            "created_at",
        ),
        "helpful_marks": HelpfulMark.objects.filter(user=member).values(
            "id", "item_id", "created_at", item_title=F("item__title")
        ),
        "adoptions": Adoption.objects.filter(recorded_by=member).values(
            "id", "item_id", "note", "created_at", community_name=F("community__name")
        ),
        "follows": Follow.objects.filter(user=member).values(
            "id",
            "level",
            "tag",
            "created_at",
            community_name=F("community__name"),
            item_title=F("item__title"),
            person_name=F("person__display_name"),
        ),
        "drafts": Draft.objects.filter(author=member).values(
            "id", "kind", "title", "body", "tags", "created_at", "updated_at"
        ),
        "mentor_offer": MentorOffer.objects.filter(user=member).values(
            "available",
            "capacity",
            "offers_mentoring",
            "offers_peer_coaching",
            "offers_thinking_partner",
            "created_at",
        ),
        "mentoring_requests": MentoringRequest.objects.filter(mentee=member).values(
            "id", "goals", "format", "status", "created_at", "matched_at"
        ),
        "mentoring_pairs": pairs.values(
            "id",
            "format",
            "status",
            "started_at",
            "ended_at",
            mentor_name=F("mentor__display_name"),
            mentee_name=F("mentee__display_name"),
        ),
        "mentoring_goals": Goal.objects.filter(created_by=member).values(
            "id", "pair_id", "text", "done", "created_at"
        ),
        "mentoring_checkins": CheckIn.objects.filter(author=member).values(
            "id", "pair_id", "date", "notes", "progress", "next_step"
        ),
        "mentoring_feedback": Feedback.objects.filter(author=member).values(
            "id", "pair_id", "rating", "learned", "created_at"
        ),
        "thinking_assumptions": Assumption.objects.filter(author=member).values(
            "id", "pair_id", "assumption", "tested_by", "changed", "created_at"
        ),
        "thinking_commitments": Commitment.objects.filter(author=member).values(
            "id", "pair_id", "session_on", "text", "status"
        ),
        "aspiration": Aspiration.objects.filter(user=member).values(
            "text", "updated_at"
        ),
        "first_90_days": PlanStep.objects.filter(plan__user=member).values(
            "id",
            "kind",
            "due_on",
            "done_at",
            community_name=F("plan__community__name"),
        ),
        "notifications": Notification.objects.filter(recipient=member).values(
            "id", "kind", "message", "url", "created_at", "read_at"
        ),
    }


def export_contents(member: User) -> dict[str, object]:
    """What the zip holds, as data (the job writes it; tests read it)."""
    profile = User.objects.filter(pk=member.pk).values(*PROFILE_FIELDS).get()
    profile["expertise"] = sorted(member.expertise.names())
    profile["interests"] = sorted(member.interests.names())
    contents: dict[str, object] = {"profile": profile}
    for name, rows in _datasets(member).items():
        contents[name] = list(
            rows.order_by("pk") if hasattr(rows, "order_by") else rows
        )
    return contents


def _zip_bytes(member: User) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "README.txt",
            "Your data from Practica, as JSON files: one per kind of record.\n"
            "files/ holds the attachments you uploaded; avatar.webp your photo.\n",
        )
        photo = avatar_file(member)
        if photo is not None:
            archive.writestr("avatar.webp", photo)
        for name, rows in export_contents(member).items():
            archive.writestr(
                f"{name}.json",
                json.dumps(rows, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
            )
        for attachment in Attachment.objects.filter(uploader=member).order_by("pk"):
            try:
                with attachment.file.open("rb") as source:
                    archive.writestr(
                        f"files/{attachment.pk}-{attachment.name}", source.read()
                    )
            except (FileNotFoundError, OSError):
                continue  # pruned or lost: its record is still in attachments.json
    return buffer.getvalue()


def export_request(*, member: User) -> DataExport:
    """Ask for an export; a second request while one is being prepared
    returns that one (a double submit makes one job)."""
    pending = DataExport.objects.filter(
        member=member, status=ExportStatus.PENDING
    ).first()
    if pending:
        return pending
    try:
        with transaction.atomic():
            export = DataExport.objects.create(member=member)
            enqueue_on_commit("privacy.export_build", export_id=export.pk)
    except IntegrityError:  # a concurrent request won the race
        return DataExport.objects.get(member=member, status=ExportStatus.PENDING)
    return export


def export_build(*, export_id: int) -> bool:
    """The job: build the zip, store it, tell the member. Idempotent: an
    export already built (or gone) is left alone."""
    with transaction.atomic():
        export = (
            DataExport.objects.select_for_update()
            .select_related("member")
            .filter(pk=export_id, status=ExportStatus.PENDING)
            .first()
        )
        if export is None:
            return False
        content = _zip_bytes(export.member)
        name = _storage().save(f"exports/{export.uuid}.zip", ContentFile(content))
        now = timezone.now()
        export.file_name = name
        export.size = len(content)
        export.status = ExportStatus.READY
        export.ready_at = now
        export.expires_at = now + timedelta(days=settings.DATA_EXPORT_DAYS)
        export.save()
        notify(
            recipient=export.member,
            kind="data_export",
            message=gettext_lazy(
                "Your data export is ready to download until %(day)s."
            ),
            params={"day": f"{export.expires_at:%Y-%m-%d}"},
            url=export_link(export),
        )
    return True


def export_link(export: DataExport) -> str:
    """The signed download path; it stops working at expires_at."""
    from django.urls import reverse

    token = signing.dumps(str(export.uuid), salt=_LINK_SALT, compress=True)
    return reverse("privacy:export_download", kwargs={"token": token})


def export_from_token(token: str, *, member: User) -> DataExport | None:
    """The member's ready export named by a link that is genuine and not
    expired; None otherwise (someone else's, forged, old)."""
    try:
        uuid = signing.loads(
            token,
            salt=_LINK_SALT,
            max_age=timedelta(days=settings.DATA_EXPORT_DAYS),
        )
    except signing.BadSignature:
        return None
    return DataExport.objects.filter(
        uuid=uuid,
        member=member,
        status=ExportStatus.READY,
        expires_at__gt=timezone.now(),
    ).first()


def exports_prune(*, now=None) -> int:
    """Nightly: delete expired exports' files and mark them expired."""
    now = now or timezone.now()
    pruned = 0
    for export in DataExport.objects.filter(
        status=ExportStatus.READY, expires_at__lte=now
    ):
        if export.file_name:
            _storage().delete(export.file_name)
        DataExport.objects.filter(pk=export.pk).update(
            status=ExportStatus.EXPIRED, file_name=""
        )
        pruned += 1
    return pruned


def exports_delete(*, member: User) -> None:
    """Every export of the member and its file (erasure)."""
    for export in DataExport.objects.filter(member=member):
        if export.file_name:
            _storage().delete(export.file_name)
    DataExport.objects.filter(member=member).delete()
