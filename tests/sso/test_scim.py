"""SCIM 2.0 provisioning (RFC 7644) through django-scim2: requests and
answers taken from the RFC's examples and from what Entra ID and Okta send.
Only the identity provider's bearer token opens the endpoints."""

import hashlib
import json

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.utils import timezone

from communities.models import Membership
from knowledge.models import Item
from members import services
from members.models import ScimToken, User
from mentoring.models import MentoringRequest, Pair
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.knowledge.factories import ItemFactory
from tests.members.factories import UserFactory
from tests.mentoring.factories import (
    MentoringRequestFactory,
    MentorOfferFactory,
    PairFactory,
)

pytestmark = pytest.mark.django_db

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
SCIM_JSON = "application/scim+json"

# RFC 7644 section 3.3, with an e-mail as userName (as IdPs send it).
BARBARA = {
    "schemas": [USER],
    "userName": "Barbara.Jensen@example.com",
    "externalId": "bjensen",
    "name": {
        "formatted": "Ms. Barbara J Jensen III",
        "familyName": "Jensen",
        "givenName": "Barbara",
    },
}


@pytest.fixture
def token(db):
    _token, raw = services.scim_token_create(name="Entra ID")
    return raw


@pytest.fixture
def scim(client, token):
    """scim(method, path, body=None, token=...) -> response."""

    def call(method, path, body=None, *, bearer=token, raw_body=None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {bearer}"} if bearer else {}
        if method in ("GET", "DELETE"):
            return getattr(client, method.lower())(f"/scim/v2/{path}", **headers)
        data = raw_body if raw_body is not None else json.dumps(body or {})
        return getattr(client, method.lower())(
            f"/scim/v2/{path}", data=data, content_type=SCIM_JSON, **headers
        )

    return call


def _provisioned(scim, body=BARBARA) -> dict:
    response = scim("POST", "Users", body)
    assert response.status_code == 201, response.content
    return response.json()


# --- Create -------------------------------------------------------------------


def test_create_user_pre_creates_the_member(scim):
    created = _provisioned(scim)
    member = User.objects.get(pk=created["id"])
    assert member.email == "barbara.jensen@example.com"
    assert member.display_name == "Barbara Jensen"
    assert member.username == "barbara-jensen"
    assert member.scim_external_id == "bjensen"
    assert member.is_active
    assert not member.has_usable_password()  # signs in through the IdP
    address = EmailAddress.objects.get(user=member)
    assert address.verified and address.primary  # single sign-on links to it
    assert created["userName"] == "barbara.jensen@example.com"
    assert created["active"] is True
    assert created["meta"]["location"].endswith(f"/scim/v2/Users/{member.pk}")


def test_created_member_is_found_by_user_name_and_id(scim):
    created = _provisioned(scim)
    found = scim("GET", 'Users?filter=userName eq "barbara.jensen@example.com"')
    assert found.status_code == 200
    assert found.json()["totalResults"] == 1
    assert found.json()["Resources"][0]["id"] == created["id"]
    one = scim("GET", f"Users/{created['id']}")
    assert one.status_code == 200
    assert one.json()["externalId"] == "bjensen"
    none = scim("GET", 'Users?filter=userName eq "nobody@example.com"')
    assert none.json()["totalResults"] == 0


def test_create_with_an_existing_email_is_a_conflict(scim):
    UserFactory(email="barbara.jensen@example.com")
    response = scim("POST", "Users", BARBARA)
    assert response.status_code == 409
    assert response.json()["scimType"] == "uniqueness"
    assert User.objects.filter(email__iexact=BARBARA["userName"]).count() == 1


@pytest.mark.parametrize(
    "body",
    [
        {"schemas": [USER], "name": {"givenName": "No"}},
        {"schemas": [USER], "userName": "not-an-email"},
        {"schemas": [USER], "userName": "a@example.com", "active": "maybe"},
        {"schemas": [USER], "userName": 42},
        {"schemas": [USER], "userName": "b@example.com", "name": "flat"},
    ],
)
def test_bad_user_bodies_are_refused_with_400(scim, body):
    response = scim("POST", "Users", body)
    assert response.status_code == 400
    assert str(response.json()["status"]) == "400"
    assert User.objects.count() == 0


def test_malformed_requests_never_500(scim):
    assert scim("POST", "Users", raw_body="{not json").status_code == 400
    assert scim("GET", "Users/not-a-number").status_code == 404
    assert scim("GET", "Users/99999999").status_code == 404
    assert scim("GET", "Users?startIndex=0").status_code == 400
    assert scim("GET", "Users?filter=userName zz").status_code == 400
    patched = scim("PATCH", f"Users/{_provisioned(scim)['id']}", {"Operations": 3})
    assert patched.status_code == 400


# --- Update ---------------------------------------------------------------------


def test_put_replaces_what_the_idp_owns(scim):
    created = _provisioned(scim)
    body = {
        **BARBARA,
        "name": {"givenName": "Babs", "familyName": "Jensen"},
        "displayName": "Babs Jensen",
        "title": "Shift lead",
        ENTERPRISE: {"department": "Plant 2"},
    }
    response = scim("PUT", f"Users/{created['id']}", body)
    assert response.status_code == 200
    member = User.objects.get(pk=created["id"])
    assert (member.display_name, member.job_title, member.business_unit) == (
        "Babs Jensen",
        "Shift lead",
        "Plant 2",
    )
    assert response.json()[ENTERPRISE]["department"] == "Plant 2"


def test_patch_changes_the_email_and_the_verified_address(scim):
    created = _provisioned(scim)
    response = scim(
        "PATCH",
        f"Users/{created['id']}",
        {
            "schemas": [PATCH],
            "Operations": [
                {"op": "replace", "path": "userName", "value": "b.j@example.com"},
                {"op": "Add", "path": "title", "value": "Engineer"},
            ],
        },
    )
    assert response.status_code == 200
    member = User.objects.get(pk=created["id"])
    assert member.email == "b.j@example.com"
    assert member.job_title == "Engineer"
    assert EmailAddress.objects.get(user=member, primary=True).email == member.email


# --- Deactivate -----------------------------------------------------------------


@pytest.fixture
def busy_member(db):
    """A member with communities, mentoring and writing of their own."""
    member = UserFactory(email="leaving@example.com", display_name="Lee Leaving")
    open_one = MembershipFactory(user=member)
    stewarded = MembershipFactory(user=member, steward=True)
    asked = MembershipFactory(user=member, community=CommunityFactory(private=True))
    asked.status = Membership.Status.PENDING
    asked.save()
    MentorOfferFactory(user=member)
    request = MentoringRequestFactory(mentee=member)
    proposal = PairFactory(mentor=member)
    item = ItemFactory(author=member, community=open_one.community)
    EmailAddress.objects.create(
        user=member, email=member.email, verified=True, primary=True
    )
    return {
        "member": member,
        "memberships": [open_one, stewarded],
        "asked": asked,
        "request": request,
        "proposal": proposal,
        "item": item,
    }


def test_deactivating_ends_sessions_offers_requests_and_memberships(scim, busy_member):
    member = busy_member["member"]
    browser = Client()
    browser.force_login(member)
    assert browser.get("/members/").status_code == 200

    response = scim(
        "PATCH",
        f"Users/{member.pk}",
        # What Entra ID sends: "Replace", and the value as a string.
        {
            "schemas": [PATCH],
            "Operations": [{"op": "Replace", "path": "active", "value": "False"}],
        },
    )
    assert response.status_code == 200
    assert response.json()["active"] is False

    member.refresh_from_db()
    assert not member.is_active
    # Their session is over: the next page asks them to log in.
    assert browser.get("/members/").status_code == 302
    statuses = {m.status for m in Membership.objects.filter(user=member)}
    assert statuses == {Membership.Status.INACTIVE, Membership.Status.LEFT}
    assert all(
        m.status == Membership.Status.INACTIVE
        for m in Membership.objects.filter(
            pk__in=[m.pk for m in busy_member["memberships"]]
        )
    )
    assert Membership.objects.get(pk=busy_member["asked"].pk).status == "left"
    assert not member.mentor_offer.available
    assert (
        MentoringRequest.objects.get(pk=busy_member["request"].pk).status
        == MentoringRequest.Status.WITHDRAWN
    )
    assert Pair.objects.get(pk=busy_member["proposal"].pk).status == "declined"
    # What they wrote stays, credited to them.
    item = Item.objects.get(pk=busy_member["item"].pk)
    assert item.author_id == member.pk
    assert User.objects.get(pk=member.pk).display_name == "Lee Leaving"


def test_reactivating_restores_memberships(scim, busy_member):
    member = busy_member["member"]
    services.deactivate_member(member=member)
    response = scim(
        "PATCH",
        f"Users/{member.pk}",
        {"Operations": [{"op": "replace", "value": {"active": True}}]},
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.is_active
    restored = Membership.objects.filter(
        pk__in=[m.pk for m in busy_member["memberships"]]
    )
    assert {m.status for m in restored} == {Membership.Status.ACTIVE}
    assert restored.get(role=Membership.Role.STEWARD).is_steward
    # A join request withdrawn at deactivation is not approved by coming back.
    assert Membership.objects.get(pk=busy_member["asked"].pk).status == "left"


def test_delete_deactivates_keeps_the_work_and_answers_404_after(scim, busy_member):
    member = busy_member["member"]
    assert scim("DELETE", f"Users/{member.pk}").status_code == 204
    member.refresh_from_db()
    assert not member.is_active and member.scim_deleted
    assert Item.objects.filter(author=member).exists()
    assert scim("GET", f"Users/{member.pk}").status_code == 404
    assert scim("DELETE", f"Users/{member.pk}").status_code == 404
    listed = scim("GET", 'Users?filter=userName eq "leaving@example.com"').json()
    assert listed["totalResults"] == 0

    # Provisioned again later: the same member comes back, with their history.
    again = scim("POST", "Users", {"schemas": [USER], "userName": member.email})
    assert again.status_code == 201
    assert again.json()["id"] == str(member.pk)
    member.refresh_from_db()
    assert member.is_active and not member.scim_deleted


# --- Who may call SCIM ------------------------------------------------------------


@pytest.mark.parametrize("persona", ["anonymous", "member", "staff"])
def test_sessions_without_the_token_are_refused(client, persona, scim):
    """Only the SCIM token opens SCIM: no session, not even staff's."""
    if persona != "anonymous":
        client.force_login(UserFactory(is_staff=persona == "staff"))
    for method, path in [
        ("GET", "Users"),
        ("POST", "Users"),
        ("GET", "ServiceProviderConfig"),
        ("DELETE", "Users/1"),
    ]:
        response = scim(method, path, BARBARA, bearer=None)
        assert response.status_code == 401, (persona, method, path)
        assert response["WWW-Authenticate"].startswith("Bearer")
    assert User.objects.filter(email__iexact=BARBARA["userName"]).count() == 0


def test_wrong_or_revoked_tokens_are_refused(scim, token):
    assert scim("GET", "Users", bearer="not-the-token").status_code == 401
    assert scim("GET", "Users", bearer=token).status_code == 200
    services.scim_token_revoke(token=ScimToken.objects.get())
    assert scim("GET", "Users", bearer=token).status_code == 401


def test_tokens_are_stored_hashed_and_record_their_use(scim, token):
    stored = ScimToken.objects.get()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in stored.token_hash
    assert stored.last_used_at is None
    scim("GET", "ServiceProviderConfig")
    stored.refresh_from_db()
    assert stored.last_used_at is not None
    assert stored.last_used_at <= timezone.now()


def test_discovery_endpoints(scim):
    config = scim("GET", "ServiceProviderConfig").json()
    assert config["patch"]["supported"] is True
    assert config["authenticationSchemes"][0]["type"] == "oauthbearertoken"
    types = scim("GET", "ResourceTypes").json()
    assert {t["id"] for t in types["Resources"]} == {"User", "Group"}
    assert scim("GET", "Schemas").status_code == 200
    # What Practica does not do: RFC 7644's "not implemented", as SCIM.
    bulk = scim("POST", "Bulk", {})
    assert bulk.status_code == 501
    assert bulk.json()["status"] == "501"
    missing = scim("GET", "Nothing/here")
    assert missing.status_code == 404
    assert missing["Content-Type"] == SCIM_JSON


@pytest.mark.parametrize("people", [2, 12])
def test_user_list_query_count(scim, people, django_assert_num_queries):
    UserFactory.create_batch(people)
    # The token (its last use recorded, then read) and the members, once:
    # django-scim2 counts the page's queryset by iterating it, then slices it.
    with django_assert_num_queries(3):
        response = scim("GET", "Users?count=50")
    assert response.json()["totalResults"] == people


# --- Groups: communities' members -------------------------------------------------

GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"


def _group(scim, name, members=(), external_id=None):
    body = {
        "schemas": [GROUP],
        "displayName": name,
        "members": [{"value": str(user.pk)} for user in members],
    }
    if external_id:
        body["externalId"] = external_id
    response = scim("POST", "Groups", body)
    assert response.status_code == 201, response.content
    return response.json()


def _status(user, community):
    found = Membership.objects.filter(user=user, community=community).first()
    return found.status if found else None


def test_group_named_like_a_community_makes_its_people_members(scim):
    lean = CommunityFactory(name="Lean", private=True)
    ana, bo = UserFactory(), UserFactory()
    created = _group(scim, "lean", [ana, bo])
    assert {m["value"] for m in created["members"]} == {str(ana.pk), str(bo.pk)}
    # A private community too: the IdP is the organisation's own directory.
    assert _status(ana, lean) == _status(bo, lean) == Membership.Status.ACTIVE


def test_group_maps_by_external_id_to_a_slug(scim):
    safety = CommunityFactory(name="Safety first", slug="safety")
    ana = UserFactory()
    _group(scim, "SG-Safety-All", [ana], external_id="safety")
    assert _status(ana, safety) == Membership.Status.ACTIVE


def test_patch_adds_and_removes_people(scim):
    lean = CommunityFactory(name="Lean")
    ana, bo = UserFactory(), UserFactory()
    group = _group(scim, "Lean", [ana])
    response = scim(
        "PATCH",
        f"Groups/{group['id']}",
        {
            "schemas": [PATCH],
            "Operations": [
                {"op": "Add", "path": "members", "value": [{"value": str(bo.pk)}]},
                # How Entra ID removes one person.
                {"op": "Remove", "path": f'members[value eq "{ana.pk}"]'},
            ],
        },
    )
    assert response.status_code == 200
    assert _status(bo, lean) == Membership.Status.ACTIVE
    assert _status(ana, lean) == Membership.Status.LEFT


def test_the_last_steward_stays_when_taken_out_of_the_group(scim):
    lean = CommunityFactory(name="Lean")
    steward = MembershipFactory(community=lean, steward=True).user
    group = _group(scim, "Lean", [steward])
    scim(
        "PUT",
        f"Groups/{group['id']}",
        {"schemas": [GROUP], "displayName": "Lean", "members": []},
    )
    assert Membership.objects.get(user=steward, community=lean).is_steward


def test_unmapped_group_and_deleted_group_change_no_community(scim):
    lean = CommunityFactory(name="Lean")
    ana = UserFactory()
    other = _group(scim, "All staff", [ana])
    assert not Membership.objects.filter(user=ana).exists()
    group = _group(scim, "Lean", [ana])
    assert scim("DELETE", f"Groups/{group['id']}").status_code == 204
    assert scim("GET", f"Groups/{group['id']}").status_code == 404
    assert _status(ana, lean) == Membership.Status.ACTIVE  # people stay
    assert scim("GET", f"Groups/{other['id']}").status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"schemas": [GROUP]},
        {"schemas": [GROUP], "displayName": "X", "members": [{"value": "abc"}]},
        {"schemas": [GROUP], "displayName": "X", "members": [{"value": "99999"}]},
        {"schemas": [GROUP], "displayName": "X", "members": "everyone"},
    ],
)
def test_bad_group_bodies_are_refused_with_400(scim, body):
    assert scim("POST", "Groups", body).status_code == 400


def test_groups_need_the_token_too(scim, client):
    client.force_login(UserFactory(is_staff=True))
    assert scim("GET", "Groups", bearer=None).status_code == 401
    assert (
        scim("POST", "Groups", {"displayName": "Lean"}, bearer=None).status_code == 401
    )


def test_provisioning_changes_are_in_the_audit_log(scim, busy_member):
    from members.models import AuditAction, AuditEntry

    member = busy_member["member"]
    patch = {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "active"}]}
    patch["Operations"][0]["value"] = False
    scim("PATCH", f"Users/{member.pk}", patch)
    patch["Operations"][0]["value"] = True
    scim("PATCH", f"Users/{member.pk}", patch)
    entries = AuditEntry.objects.filter(
        action=AuditAction.SCIM_CHANGED, target_id=member.pk
    )
    assert [e.details["change"] for e in entries.order_by("pk")] == [
        "deactivated",
        "reactivated",
    ]
    assert all(e.actor is None for e in entries)
