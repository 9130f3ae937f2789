from members.confirm import take_undo


def undo(request):
    """The "Undo" button offered after a reversible action (members.confirm).
    Lazy: the session is only read when a page shows its messages."""
    cache = {}

    def offer():
        if "offer" not in cache:
            cache["offer"] = take_undo(request)
        return cache["offer"]

    return {"undo_offer": offer}


def sign_in(request):
    """Whether password sign-in exists (LOCAL_PASSWORDS): the header, the
    account menu and the login page leave out what is turned off."""
    from django.conf import settings

    return {
        "local_passwords": settings.LOCAL_PASSWORDS,
        "sso_signup": settings.SSO_SIGNUP,
    }
