from django.urls import reverse

from privacy.permissions import can_erase


def erase_section(request, *, member):
    """On someone else's profile, staff get the way to erase the account
    (their own is under "Your data")."""
    if member.pk == request.user.pk or not request.user.is_staff:
        return None
    if not can_erase(request.user, member):
        return None
    return {
        "template": "privacy/_erase_section.html",
        "erase_url": reverse(
            "privacy:erase_member", kwargs={"username": member.username}
        ),
        "member": member,
    }
