from members.models import User


def can_erase(acting_user: User, member: User) -> bool:
    """A member erases their own account; staff erase anyone's but their
    own through the admin route (a superuser cannot be erased: demote first)."""
    if not acting_user.is_authenticated or not member.is_active:
        return False
    if member.is_superuser:
        return False
    return acting_user.pk == member.pk or acting_user.is_staff
