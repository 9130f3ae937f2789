"""The audit log: each steward and admin action leaves one entry, written by
the service that acts; staff see all of it, stewards their community's."""

import csv
import io

import pytest
from django.urls import reverse

from communities.models import Membership
from communities.services import lifecycle, stewards
from knowledge import services as knowledge
from knowledge.models import ItemKind
from members.models import AuditAction, AuditEntry
from members.services import leadership_role_set
from privacy.erasure import check_member_erase
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.knowledge.factories import ItemFactory, ReplyFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

ORG = reverse("dashboards:audit")
# Session, member, entries page with their actors, the count, the layout's own.
QUERIES = 5


def community_audit_url(community):
    return reverse("dashboards:community_audit", kwargs={"slug": community.slug})


def actions():
    return list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))


def test_steward_actions_are_recorded_with_who_and_where(community, steward):
    newcomer = UserFactory(display_name="Nia Newcomer")
    pending = MembershipFactory(user=newcomer, community=community, pending=True)
    stewards.membership_approve(acting_user=steward, membership=pending)
    stewards.membership_promote(acting_user=steward, membership=pending)
    stewards.membership_promote(acting_user=steward, membership=pending)  # no-op
    stewards.membership_demote(acting_user=steward, membership=pending)
    stewards.membership_remove(acting_user=steward, membership=pending)
    other = MembershipFactory(community=community, pending=True)
    stewards.membership_decline(acting_user=steward, membership=other)
    assert actions() == [
        AuditAction.JOIN_APPROVED,
        AuditAction.STEWARD_PROMOTED,
        AuditAction.STEWARD_DEMOTED,
        AuditAction.MEMBER_REMOVED,
        AuditAction.JOIN_DECLINED,
    ]
    entry = AuditEntry.objects.get(action=AuditAction.JOIN_APPROVED)
    assert entry.actor == steward
    assert entry.community_id == community.pk
    assert entry.target_label == "Nia Newcomer"
    assert entry.target_type == "members.user"


def test_hides_restores_archives_roles_and_erasures_are_recorded(community, steward):
    staff = UserFactory(is_staff=True)
    item = ItemFactory(community=community, kind=ItemKind.STORY)
    reply = ReplyFactory(item=item)
    knowledge.item_hide(item=item, acting_user=steward)
    knowledge.item_hide(item=item, acting_user=steward)  # already hidden
    knowledge.item_restore(item=item, acting_user=steward)
    knowledge.reply_hide(reply=reply, acting_user=steward)
    knowledge.reply_restore(reply=reply, acting_user=steward)
    lifecycle.community_archive(community=community, acting_user=steward)
    lifecycle.community_reopen(community=community, acting_user=steward)
    member = UserFactory()
    leadership_role_set(actor=staff, member=member, role="executive")
    check_member_erase(acting_user=staff, member=member)
    assert actions() == [
        AuditAction.ITEM_HIDDEN,
        AuditAction.ITEM_RESTORED,
        AuditAction.REPLY_HIDDEN,
        AuditAction.REPLY_RESTORED,
        AuditAction.COMMUNITY_ARCHIVED,
        AuditAction.COMMUNITY_REOPENED,
        AuditAction.ROLE_SET,
        AuditAction.MEMBER_ERASED,
    ]
    role = AuditEntry.objects.get(action=AuditAction.ROLE_SET)
    assert role.details == {"from": "none", "to": "executive"}
    # Entries about a member erased since name them by number only.
    assert role.target_label == f"member #{member.pk}"
    erased = AuditEntry.objects.get(action=AuditAction.MEMBER_ERASED)
    assert erased.target_label == f"member #{member.pk}"  # never the old name


@pytest.mark.parametrize("query", [{}, {"format": "csv"}], ids=["page", "csv"])
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("member", 403),
        ("steward", 403),
        ("manager", 403),
        ("staff", 200),
    ],
)
def test_the_organisation_log_is_for_staff_only(client, community, who, status, query):
    if who != "anonymous":
        user = UserFactory(
            is_staff=who == "staff",
            leadership_role="line_leader" if who == "manager" else "none",
        )
        if who in ("member", "steward"):
            MembershipFactory(user=user, community=community, steward=who == "steward")
        client.force_login(user)
    response = client.get(ORG, query)
    assert response.status_code == status


@pytest.mark.parametrize("private", [False, True])
@pytest.mark.parametrize(
    ("who", "open_status", "private_status"),
    [
        ("anonymous", 302, 302),
        ("outsider", 403, 404),
        ("member", 403, 403),
        ("manager", 403, 404),
        ("steward_of_another", 403, 404),
        ("steward", 200, 200),
        ("staff", 200, 200),
    ],
)
def test_a_communitys_log_is_for_its_stewards_and_staff(
    client, who, open_status, private_status, private
):
    community = CommunityFactory(private=private)
    user = UserFactory(
        is_staff=who == "staff",
        leadership_role="executive" if who == "manager" else "none",
    )
    if who == "member":
        MembershipFactory(user=user, community=community)
    elif who == "steward":
        MembershipFactory(user=user, community=community, steward=True)
    elif who == "steward_of_another":
        MembershipFactory(user=user, steward=True)
    if who != "anonymous":
        client.force_login(user)
    response = client.get(community_audit_url(community))
    assert response.status_code == (private_status if private else open_status)


def _hide_in(community, steward, title):
    item = ItemFactory(community=community, title=title)
    knowledge.item_hide(item=item, acting_user=steward)


def test_a_steward_sees_only_their_communitys_entries(client, community, steward):
    other = CommunityFactory(name="Other place")
    other_steward = UserFactory()
    MembershipFactory(user=other_steward, community=other, steward=True)
    _hide_in(community, steward, "Ours, hidden")
    _hide_in(other, other_steward, "Theirs, hidden")
    client.force_login(steward)
    page = client.get(community_audit_url(community)).text
    assert "Ours, hidden" in page and "Theirs, hidden" not in page
    client.force_login(UserFactory(is_staff=True))
    page = client.get(ORG).text
    assert "Ours, hidden" in page and "Theirs, hidden" in page


def test_filters_narrow_the_log_and_bad_dates_say_so(client, community, steward):
    _hide_in(community, steward, "Hidden story")
    lifecycle.community_archive(community=community, acting_user=steward)
    client.force_login(UserFactory(is_staff=True))
    page = client.get(ORG, {"action": "item.hidden"}).text
    assert "Hidden story" in page and "Community archived</td>" not in page
    page = client.get(ORG, {"who": "nobody-like-this"}).text
    assert "No steward or admin action matches these filters." in page
    response = client.get(ORG, {"start": "2026-02-10", "end": "2026-01-01"})
    assert response.status_code == 200
    assert "must be on or before" in response.text
    assert "Hidden story" in response.text  # the bad range is ignored, not applied
    response = client.get(ORG, {"start": "yesterday", "action": "nonsense"})
    assert response.status_code == 200
    assert "Enter a valid date" in response.text


def test_the_csv_holds_the_same_rows_as_the_page(client, community, steward):
    for n in range(3):
        _hide_in(community, steward, f"Hidden {n}")
    client.force_login(steward)
    response = client.get(community_audit_url(community), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["When", "Who", "Action", "Concerning", "Community", "Details"]
    assert [r[3] for r in rows[1:]] == ["Hidden 2", "Hidden 1", "Hidden 0"]
    page = client.get(community_audit_url(community)).text
    for row in rows[1:]:
        assert row[3] in page


@pytest.mark.parametrize("entries", [2, 12])
def test_the_log_page_costs_the_same_at_any_size(
    client, django_assert_num_queries, manual_rollups, community, steward, entries
):
    """Not rolled up first: the log reads no rollup."""
    for n in range(entries):
        _hide_in(community, steward, f"Hidden {n}")
    client.force_login(UserFactory(is_staff=True))
    with django_assert_num_queries(QUERIES):
        assert client.get(ORG).status_code == 200


def test_membership_rows_keep_their_state(community, steward):
    """Recording never changes what the action did."""
    pending = MembershipFactory(community=community, pending=True)
    stewards.membership_approve(acting_user=steward, membership=pending)
    pending.refresh_from_db()
    assert pending.status == Membership.Status.ACTIVE
