"""What a community write refuses with. The message is for the member: views
show it as is."""


class MembershipError(ValueError):
    """An action that cannot happen in the current state."""


class LastStewardError(MembershipError):
    pass


class CommunityArchivedError(MembershipError):
    pass
