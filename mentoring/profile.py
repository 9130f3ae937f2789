"""The mentor-offer section of a member's profile page (registered with
members.sections, page "profile", from MentoringConfig.ready())."""

from members.models import LeadershipRole
from mentoring import selectors


def mentor_offer_section(request, member):
    """Their standing offer: available or not, topics, formats, room left,
    and a way to ask them. Nothing for members who offer nothing, except a
    nudge on one's own profile."""
    is_me = member.pk == request.user.pk
    offer = selectors.offer_of(member)
    if offer is None:
        if not is_me:
            return None
        return {
            "template": "mentoring/_profile_offer.html",
            "offer": None,
            "is_me": True,
        }
    room = max(offer.capacity - selectors.live_load(member), 0)
    return {
        "template": "mentoring/_profile_offer.html",
        "member": member,
        "offer": offer,
        "topics": [tag.name for tag in offer.topics.all()],
        "room": room,
        "is_me": is_me,
        "can_ask": offer.available and room > 0 and member.is_active and not is_me,
    }


def thinking_followups_section(request, member):
    """An executive's thinking partnerships: how many of the commitments
    they wrote ("what I will do differently") they followed up, shown only
    for pairs where they consented. One query."""
    if member.leadership_role != LeadershipRole.EXECUTIVE:
        return None
    figures = selectors.followups_of(member)
    if figures is None:
        return None
    return {
        "template": "mentoring/_profile_followups.html",
        "member": member,
        **figures,
    }
