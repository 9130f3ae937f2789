from notifications.selectors import unread_count


def navigation(request):
    """The unread-notification badge in the navigation bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user)}
