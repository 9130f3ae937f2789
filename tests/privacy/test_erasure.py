import re
import uuid
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from communities.models import Membership
from dashboards.services import snapshot_build
from digests.build import digest_build
from digests.periods import period_bounds
from knowledge.models import Follow, Item, Reply
from members.models import User
from mentoring.models import CheckIn, Pair
from privacy.erasure import FORMER_MEMBER, member_erase

pytestmark = pytest.mark.django_db


def _text_columns():
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(
                field, models.CharField | models.TextField | models.JSONField
            ):
                yield model, field


def _rows_containing(value: str) -> list[str]:
    """Every (model, field) holding `value` anywhere in the database."""
    found = []
    for model, field in _text_columns():
        as_text = model.objects.annotate(_text=Cast(field.name, models.TextField()))
        if as_text.filter(_text__icontains=value).exists():
            found.append(f"{model._meta.label}.{field.name}")
    return found


def test_erasure_leaves_no_personal_field_anywhere(member, colleague, footprint):
    """After erasure the person's e-mail, name and handle appear in no text
    column of any table, yet their items and replies are still there."""
    email, name, handle = member.email, member.display_name, member.username
    member.job_title, member.location, member.bio = "Night shift lead", "Lyon", "Hi"
    member.save()
    # Text Practica generated about them: a digest and the dashboards.
    digest = digest_build(
        community=footprint["communities"][0],
        period="weekly",
        start=period_bounds("weekly", timezone.now() + timedelta(days=7))[0],
    )
    snapshot_build()
    assert name in digest.html
    assert _rows_containing(email)  # the check can see it before
    assert "digests.Digest.html" in _rows_containing(f"/members/{handle}/")
    member_erase(member=member)
    assert _rows_containing(email) == []
    assert _rows_containing(name) == []
    assert _rows_containing(f"/members/{handle}/") == []
    member.refresh_from_db()
    assert member.display_name == FORMER_MEMBER
    assert (member.job_title, member.location, member.bio) == ("", "", "")
    assert not member.is_active and not member.has_usable_password()
    assert list(member.expertise.names()) == []
    # The community keeps what they taught it, credited to a former member.
    assert (
        set(Item.objects.filter(author=member).values_list("pk", flat=True))
        == (footprint["mia"]["items"])
    )
    assert Reply.objects.filter(author=member).count() == 1


def test_erasure_ends_what_was_theirs_alone_and_spares_the_colleague(
    member, colleague, footprint
):
    member_erase(member=member)
    assert not Follow.objects.filter(user=member).exists()
    assert Follow.objects.filter(user=colleague).exists()
    assert not member.notifications.exists()
    assert colleague.notifications.exists()
    assert set(
        Membership.objects.filter(user=member).values_list("status", flat=True)
    ) == {Membership.Status.LEFT}
    pair = Pair.objects.get(pk=footprint["pair"].pk)
    assert pair.status == Pair.Status.CLOSED
    footprint["request"].refresh_from_db()
    assert footprint["request"].status == "withdrawn"
    notes = dict(CheckIn.objects.values_list("author_id", "notes"))
    assert notes == {member.pk: "", colleague.pk: "Colin's own note."}
    colleague.refresh_from_db()
    assert colleague.is_active and colleague.display_name == "Colin Colleague"


def test_erasure_signs_out_every_session(client, member):
    client.force_login(member)
    assert client.get(reverse("privacy:index")).status_code == 200
    member_erase(member=User.objects.get(pk=member.pk))
    assert client.get(reverse("privacy:index")).status_code == 302
    assert Session.objects.count() <= 1  # the stale one no longer signs in


def test_own_erasure_needs_a_confirmation_step(client, member):
    client.force_login(member)
    url = reverse("privacy:erase")
    response = client.post(url)
    assert response.status_code == 200
    assert "This cannot be undone." in response.content.decode()
    member.refresh_from_db()
    assert member.is_active
    response = client.post(url, {"confirmed": "yes"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.is_active and member.display_name == FORMER_MEMBER


@pytest.mark.parametrize(
    "who, status",
    [("anonymous", 302), ("other", 403), ("staff", 200), ("self", 200)],
)
def test_who_may_erase_someone_else(client, member, other_member, staff, who, status):
    """Only staff erase another member's account; a member only their own."""
    acting = {"other": other_member, "staff": staff, "self": member}.get(who)
    if acting:
        client.force_login(acting)
    url = reverse("privacy:erase_member", kwargs={"username": member.username})
    assert client.post(url).status_code == status
    if status == 200:
        client.post(url, {"confirmed": "yes"})
        member.refresh_from_db()
        assert not member.is_active


def test_a_superuser_cannot_be_erased(client, staff):
    boss = User.objects.create_superuser(email="boss@example.com", password="x")
    client.force_login(staff)
    url = reverse("privacy:erase_member", kwargs={"username": boss.username})
    assert client.post(url, {"confirmed": "yes"}).status_code == 403
    boss.refresh_from_db()
    assert boss.is_active


def test_an_erased_profile_is_gone(client, member, other_member):
    handle = member.username
    member_erase(member=member)
    client.force_login(other_member)
    assert client.get(f"/members/{handle}/").status_code == 404
    assert client.get(f"/members/former-member-{member.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("viewer", "shown"), [("self", False), ("other", False), ("staff", True)]
)
def test_only_staff_see_the_erase_button_on_a_profile(
    client, member, other_member, staff, viewer, shown
):
    client.force_login({"self": member, "other": other_member, "staff": staff}[viewer])
    page = client.get(member.get_absolute_url()).text
    erase_url = reverse("privacy:erase_member", kwargs={"username": member.username})
    assert (erase_url in page) is shown


def test_erasure_revokes_api_access(client, member):
    from api.models import PersonalAccessToken
    from api.services import token_create

    _token, raw = token_create(acting_user=member, name="Reporting script")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/communities/", **headers).status_code == 200
    member_erase(member=member)
    assert not PersonalAccessToken.objects.filter(user=member).exists()
    assert client.get("/api/v1/communities/", **headers).status_code == 401


def _whole_name_count(name: str) -> int:
    """How often `name` appears as a whole name in any text column."""
    pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
    count = 0
    for model, field in _text_columns():
        as_text = model.objects.annotate(_text=Cast(field.name, models.TextField()))
        for text in as_text.filter(_text__contains=name).values_list(
            "_text", flat=True
        ):
            count += len(pattern.findall(text))
    return count


@pytest.fixture
def namesakes(db, staff):
    """Ann Lee (to be erased) and Ann Leeds, side by side in every copy
    Practica writes: notifications, a digest, a dashboard snapshot, webhook
    deliveries and the audit log."""
    from dashboards.models import ORGANISATION, Snapshot, encode_cells
    from dashboards.report.cells import member_cell
    from dashboards.tables import Cell
    from integrations.models import Delivery, Event, Webhook
    from knowledge import services as knowledge
    from knowledge.models import ItemKind
    from members.services import leadership_role_set
    from notifications.services import notify
    from tests.communities.factories import CommunityFactory, MembershipFactory
    from tests.members.factories import UserFactory
    from tests.mentoring.factories import PairFactory

    ann = UserFactory(display_name="Ann Lee", username="ann-lee")
    leeds = UserFactory(display_name="Ann Leeds", username="ann-leeds")
    community = CommunityFactory(name="Shift Leads", slug="shift-leads")
    hook = Webhook.objects.create(
        name="Chat", url="https://hooks.example.com/x", events=[Event.ITEM_CREATED]
    )
    for person in (ann, leeds):
        MembershipFactory(user=person, community=community)
        item = knowledge.item_create(
            author=person,
            community=community,
            kind=ItemKind.QUESTION,
            title=f"Question from {person.username}",
            body="Who knows?",
            tags=[],
        )
        Delivery.objects.create(
            webhook=hook,
            event_id=uuid.uuid4(),
            event=Event.ITEM_CREATED,
            payload={
                "item": {
                    "id": item.pk,
                    "author": {
                        "username": person.username,
                        "display_name": person.display_name,
                    },
                }
            },
        )
        leadership_role_set(actor=staff, member=person, role="networker")
    pair = PairFactory(mentor=leeds, mentee=ann, status=Pair.Status.ACTIVE)
    # About Ann: she acted, or it is about her pair (naming both).
    notify(
        recipient=leeds,
        actor=ann,
        kind="test",
        message="Ann Lee thanked you, Ann Leeds.",
    )
    notify(
        recipient=staff,
        kind="mentoring.idle",
        message="Ann Leeds and Ann Lee: no check-in for 60 days.",
        url=pair.get_absolute_url(),
    )
    # Not about Ann: left exactly as written.
    unrelated = notify(
        recipient=staff, actor=leeds, kind="test", message="Ann Leeds replied."
    )
    digest = digest_build(
        community=community,
        period="weekly",
        start=period_bounds("weekly", timezone.now() + timedelta(days=7))[0],
    )
    # A snapshot's table rows: a person cell [name, profile link] and a count.
    Snapshot.objects.create(
        scope=ORGANISATION,
        period_days=30,
        day=timezone.localdate(),
        period_start=timezone.now() - timedelta(days=30),
        period_end=timezone.now(),
        data={
            "askers": [
                encode_cells([member_cell(person), Cell(n)])
                for n, person in enumerate((ann, leeds))
            ]
        },
    )
    return {"ann": ann, "leeds": leeds, "digest": digest, "unrelated": unrelated}


def test_erasing_ann_lee_leaves_ann_leeds_in_every_copy(namesakes):
    """Copies about the erased member lose her whole name; a namesake whose
    name starts with hers ("Ann Leeds") keeps every mention of his."""
    from dashboards.models import Snapshot
    from integrations.models import Delivery
    from members.models import AuditEntry

    digest, ann = namesakes["digest"], namesakes["ann"]
    assert "Ann Lee<" in digest.html and "Ann Leeds" in digest.html
    leeds_before = _whole_name_count("Ann Leeds")
    assert _whole_name_count("Ann Lee") >= 6  # each kind of copy has her
    assert leeds_before >= 6

    member_erase(member=ann)

    assert _whole_name_count("Ann Lee") == 0
    assert _whole_name_count("Ann Leeds") == leeds_before
    assert _rows_containing("/members/ann-lee/") == []
    assert "/members/ann-leeds/" in namesakes["digest"].html
    digest.refresh_from_db()
    assert FORMER_MEMBER in digest.html and "Ann Leeds" in digest.html
    people = [
        e["author"]
        for e in digest.content["open_questions"] + digest.content["new_items"]
    ]
    assert {"name": FORMER_MEMBER, "username": f"former-member-{ann.pk}"}.items() <= (
        next(p for p in people if p["id"] == ann.pk).items()
    )
    unrelated = namesakes["unrelated"]
    assert unrelated.__class__.objects.get(pk=unrelated.pk).message == (
        "Ann Leeds replied."
    )
    assert namesakes["leeds"].notifications.get(kind="test").message == (
        f"{FORMER_MEMBER} thanked you, Ann Leeds."
    )
    assert Snapshot.objects.get().data["askers"] == [
        [[FORMER_MEMBER, f"/members/former-member-{ann.pk}/"], [0, None]],
        [["Ann Leeds", "/members/ann-leeds/"], [1, None]],
    ]
    authors = sorted(
        d.payload["item"]["author"]["display_name"] for d in Delivery.objects.all()
    )
    assert authors == ["Ann Leeds", FORMER_MEMBER]
    labels = set(
        AuditEntry.objects.filter(target_type="members.user").values_list(
            "target_label", flat=True
        )
    )
    assert labels == {f"member #{ann.pk}", "Ann Leeds"}
