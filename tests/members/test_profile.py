"""/members/<username>/, /members/me/edit/ and the staff-only role form."""

import pytest
from django.template import Template
from django.urls import reverse

from members import sections
from members.models import DigestFrequency, LeadershipRole
from notifications.models import Notification
from tests.members.factories import UserFactory

EDIT_URL = reverse("members:edit")


def _profile_url(user):
    return reverse("members:profile", kwargs={"username": user.username})


def _role_url(user):
    return reverse("members:set_role", kwargs={"username": user.username})


def _edit_data(**overrides):
    return {
        "display_name": "Mia Member",
        "job_title": "Process engineer",
        "business_unit": "Operations",
        "location": "Valencia",
        "bio": "I run the **night shift**.",
        "expertise": "Lean, shift handover",
        "interests": "coaching",
        "digest_frequency": DigestFrequency.DAILY,
        "notification_emails": "immediately",
        **overrides,
    }


# --- Profile page -------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in_from_every_members_page(
    client, other_member
):
    for url in (_profile_url(other_member), EDIT_URL, _role_url(other_member)):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login")), url
    response = client.post(EDIT_URL, _edit_data())
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
def test_profile_shows_role_work_bio_and_tags_as_directory_links(member_client):
    person = UserFactory(
        display_name="María López",
        job_title="Plant manager",
        business_unit="Operations",
        location="Valencia",
        leadership_role=LeadershipRole.LINE_LEADER,
        bio_html="<p>I run <strong>lean</strong> plants.</p>",
        expertise=["lean", "shift-handover"],
        interests=["coaching"],
    )
    response = member_client.get(_profile_url(person))
    assert response.status_code == 200
    body = response.content.decode()
    for text in ("María López", "Plant manager", "Operations", "Valencia"):
        assert text in body
    assert "Local line leader" in body
    assert "<p>I run <strong>lean</strong> plants.</p>" in body
    directory = reverse("members:directory")
    assert f'href="{directory}?tag=lean"' in body
    assert f'href="{directory}?tag=shift-handover"' in body
    assert f'href="{directory}?interest=coaching"' in body


@pytest.mark.django_db
def test_a_members_own_profile_offers_editing_and_others_do_not(
    member_client, member, other_member
):
    own = member_client.get(_profile_url(member))
    assert own.context["can_edit"] is True
    assert EDIT_URL in own.content.decode()
    other = member_client.get(_profile_url(other_member))
    assert other.context["can_edit"] is False
    assert EDIT_URL not in other.content.decode().split("<main")[1]
    assert _role_url(other_member) not in other.content.decode()


@pytest.mark.django_db
def test_staff_see_the_change_role_link(staff_client, other_member):
    response = staff_client.get(_profile_url(other_member))
    assert response.context["can_set_role"] is True
    assert _role_url(other_member) in response.content.decode()


@pytest.mark.django_db
def test_unknown_or_deactivated_member_is_404(member_client):
    assert member_client.get("/members/nobody-here/").status_code == 404
    gone = UserFactory(is_active=False)
    assert member_client.get(_profile_url(gone)).status_code == 404


@pytest.mark.django_db
def test_bio_is_shown_escaped_when_not_rendered_through_markdown(member_client):
    """Only bio_html (sanitised on save) is trusted; raw text never is."""
    person = UserFactory(display_name="<script>alert(1)</script>")
    body = member_client.get(_profile_url(person)).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


@pytest.mark.django_db
def test_later_apps_add_sections_to_the_profile(member_client, other_member):
    section_template = Template("<section><h2>{{ section.text }}</h2></section>")

    def provider(request, member):
        if member.pk != other_member.pk:
            return None
        return {"template": section_template, "text": "Mentoring offer"}

    sections.register("profile", provider)
    try:
        shown = member_client.get(_profile_url(other_member))
        hidden = member_client.get(reverse("members:profile", args=["person-0"]))
    finally:
        sections.unregister("profile", provider)
    assert "<section><h2>Mentoring offer</h2></section>" in shown.content.decode()
    assert hidden.context is None or "Mentoring offer" not in hidden.content.decode()


# --- Editing one's own profile -------------------------------------------------


@pytest.mark.django_db
def test_member_sees_their_profile_in_the_edit_form(member_client, member):
    member.job_title = "Engineer"
    member.save()
    member.expertise.set(["lean", "safety"])
    response = member_client.get(EDIT_URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="Engineer"' in body
    assert 'value="lean, safety"' in body


@pytest.mark.django_db
def test_member_edits_their_profile_bio_rendered_and_tags_parsed(member_client, member):
    response = member_client.post(EDIT_URL, _edit_data())
    assert response.status_code == 302
    assert response.url == _profile_url(member)
    member.refresh_from_db()
    assert member.job_title == "Process engineer"
    assert member.bio_html == "<p>I run the <strong>night shift</strong>.</p>"
    assert member.digest_frequency == DigestFrequency.DAILY
    assert sorted(member.expertise.names()) == ["lean", "shift-handover"]
    assert list(member.interests.names()) == ["coaching"]


@pytest.mark.django_db
def test_edit_form_errors_keep_the_typed_values(member_client, member):
    response = member_client.post(
        EDIT_URL,
        _edit_data(display_name="", job_title="Typed title", digest_frequency="hourly"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"display_name", "digest_frequency"}
    body = response.content.decode()
    assert 'value="Typed title"' in body
    assert 'aria-invalid="true"' in body
    member.refresh_from_db()
    assert member.job_title == ""


@pytest.mark.django_db
def test_too_many_or_too_long_tags_are_form_errors(member_client):
    many = ", ".join(f"tag{n}" for n in range(25))
    response = member_client.post(EDIT_URL, _edit_data(expertise=many))
    assert response.status_code == 200
    assert "expertise" in response.context["form"].errors
    response = member_client.post(EDIT_URL, _edit_data(interests="x" * 101))
    assert response.status_code == 200
    assert "interests" in response.context["form"].errors


@pytest.mark.django_db
def test_a_member_cannot_give_themselves_a_leadership_role(member_client, member):
    response = member_client.post(
        EDIT_URL, _edit_data(leadership_role=LeadershipRole.EXECUTIVE)
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.job_title == "Process engineer"  # the rest was saved
    assert member.leadership_role == LeadershipRole.NONE


@pytest.mark.django_db
def test_a_member_cannot_edit_another_members_profile(
    member_client, member, other_member
):
    """The edit form only ever changes the signed-in member, whatever is posted."""
    response = member_client.post(
        EDIT_URL,
        _edit_data(
            username=other_member.username, id=other_member.pk, job_title="Hijacked"
        ),
    )
    assert response.status_code == 302
    other_member.refresh_from_db()
    assert other_member.job_title == ""
    member.refresh_from_db()
    assert member.job_title == "Hijacked"
    # And there is no edit page for someone else.
    assert (
        member_client.get(f"/members/{other_member.username}/edit/").status_code == 404
    )


# --- Leadership role (staff only) ---------------------------------------------


@pytest.mark.django_db
def test_role_form_is_403_for_members_even_for_themselves(
    member_client, member, other_member
):
    for target in (other_member, member):
        assert member_client.get(_role_url(target)).status_code == 403
        response = member_client.post(
            _role_url(target), {"leadership_role": LeadershipRole.EXECUTIVE}
        )
        assert response.status_code == 403
        assert b"You can't do that" in response.content
        target.refresh_from_db()
        assert target.leadership_role == LeadershipRole.NONE


@pytest.mark.django_db
def test_managers_who_are_not_staff_cannot_set_roles(client):
    executive = UserFactory(leadership_role=LeadershipRole.EXECUTIVE)
    other = UserFactory()
    client.force_login(executive)
    response = client.post(_role_url(other), {"leadership_role": "line_leader"})
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.leadership_role == LeadershipRole.NONE


@pytest.mark.django_db
def test_staff_set_a_leadership_role_and_the_member_is_told(
    staff_client, staff, other_member
):
    response = staff_client.get(_role_url(other_member))
    assert response.status_code == 200
    assert b"Internal networker" in response.content
    response = staff_client.post(
        _role_url(other_member), {"leadership_role": LeadershipRole.NETWORKER}
    )
    assert response.status_code == 302
    assert response.url == _profile_url(other_member)
    other_member.refresh_from_db()
    assert other_member.leadership_role == LeadershipRole.NETWORKER
    notice = Notification.objects.get(recipient=other_member)
    assert notice.kind == "members.role_changed"
    assert notice.actor == staff
    assert "Internal networker" in notice.message


@pytest.mark.django_db
def test_staff_role_form_rejects_an_unknown_role(staff_client, other_member):
    response = staff_client.post(_role_url(other_member), {"leadership_role": "king"})
    assert response.status_code == 200
    assert "leadership_role" in response.context["form"].errors
    other_member.refresh_from_db()
    assert other_member.leadership_role == LeadershipRole.NONE


@pytest.mark.django_db
def test_role_form_for_unknown_member_is_404_for_staff(staff_client):
    assert staff_client.get("/members/nobody-here/role/").status_code == 404


# --- Who may open which members page -----------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "page", "expected"),
    [
        ("anonymous", "directory", 302),
        ("member", "directory", 200),
        ("staff", "directory", 200),
        ("anonymous", "profile", 302),
        ("member", "profile", 200),
        ("staff", "profile", 200),
        ("anonymous", "edit", 302),
        ("member", "edit", 200),
        ("staff", "edit", 200),
        ("anonymous", "set_role", 302),
        ("member", "set_role", 403),
        ("staff", "set_role", 200),
    ],
)
def test_who_may_open_each_members_page(client, other_member, who, page, expected):
    if who != "anonymous":
        client.force_login(UserFactory(is_staff=who == "staff"))
    kwargs = (
        {"username": other_member.username} if page in {"profile", "set_role"} else {}
    )
    response = client.get(reverse(f"members:{page}", kwargs=kwargs))
    assert response.status_code == expected
    if expected == 302:
        assert response.url.startswith(reverse("account_login"))
