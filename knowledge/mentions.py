"""@mentions in items and replies.

- `@username` mentions a person: it renders as a link to their profile and
  tells them, once per item or reply (a Mention row remembers it, so editing
  the text never tells the same person again).
- Role groups of the item's community: `@stewards` (its stewards), and its
  active members holding a leadership role: `@line-leaders` (local line
  leaders), `@executives` (executive leaders), `@networkers` (internal
  networkers). A group name wins over a username spelled the same way. Only
  the community's stewards, members with a leadership role and staff may use
  them, and a group reaching more than GROUP_REACH_LIMIT people tells nobody.
- Only people who may read the content are told (a private community's
  active members, and staff); the author learns who was not, and why, from
  the MentionReport the service leaves on the item or reply.
- At most PEOPLE_PER_TEXT people are told by name per text.
- Nobody hears about a community, item or author they muted.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.access import membership_of
from communities.models import Membership
from knowledge.models import Follow, Item, Mention, Reply
from knowledge.watching import muted_q, readers_q
from members.markup import markdown_to_html_with_mentions, mention_candidates
from members.models import LeadershipRole, User
from notifications.services import notify_many

GROUP_REACH_LIMIT = 25
PEOPLE_PER_TEXT = 20

# handle -> (what it names, which active memberships of the community)
GROUPS = {
    "stewards": (
        gettext_lazy("the community's stewards"),
        Q(role=Membership.Role.STEWARD),
    ),
    "line-leaders": (
        gettext_lazy("its local line leaders"),
        Q(user__leadership_role=LeadershipRole.LINE_LEADER),
    ),
    "executives": (
        gettext_lazy("its executive leaders"),
        Q(user__leadership_role=LeadershipRole.EXECUTIVE),
    ),
    "networkers": (
        gettext_lazy("its internal networkers"),
        Q(user__leadership_role=LeadershipRole.NETWORKER),
    ),
}


@dataclass
class MentionReport:
    """What became of the mentions in one text, for its author."""

    told: int = 0
    cannot_see: list = field(default_factory=list)  # display names
    refused_groups: list = field(default_factory=list)  # (handle, reason)
    beyond_limit: int = 0

    def messages(self) -> list[str]:
        said = []
        if self.cannot_see:
            said.append(
                _("Not told, because they cannot see this community: %(names)s.")
                % {"names": ", ".join(self.cannot_see)}
            )
        for handle, reason in self.refused_groups:
            said.append(f"@{handle}: {reason}")
        if self.beyond_limit:
            said.append(
                _(
                    "Only the first %(limit)s people mentioned were told; "
                    "%(more)s more were not."
                )
                % {"limit": PEOPLE_PER_TEXT, "more": self.beyond_limit}
            )
        return said


def can_mention_groups(user, community, membership=None) -> bool:
    """Stewards of the community, its active members with a leadership role,
    and staff."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    membership = membership or membership_of(user, community)
    if membership is None or not membership.is_active:
        return False
    return membership.is_steward or user.leadership_role != LeadershipRole.NONE


def group_members(community, handle: str):
    _label, which = GROUPS[handle]
    return Membership.objects.filter(
        which,
        community=community,
        status=Membership.Status.ACTIVE,
        user__is_active=True,
    ).values_list("user_id", flat=True)


def _links(community, handles) -> tuple[dict, dict]:
    """(lower-cased handle -> URL, lower-cased username -> User) for the
    handles that name a group or an active member."""
    groups = {h for h in handles if h in GROUPS}
    members_url = reverse("communities:members", kwargs={"slug": community.slug})
    links = dict.fromkeys(groups, members_url)
    people = {}
    names = handles - groups
    if names:
        for user in User.objects.filter(username__in=names, is_active=True):
            people[user.username.lower()] = user
            links[user.username.lower()] = user.get_absolute_url()
    return links, people


def mentions_record(*, author, item: Item | None = None, reply: Reply | None = None):
    """Render the mentions in `item`'s (or `reply`'s) text as links and tell
    those mentioned for the first time. Returns a MentionReport, also left on
    the item or reply as `mention_report` for the page to show. Text without
    an @ costs no query."""
    target = reply if reply is not None else item
    report = MentionReport()
    target.mention_report = report
    handles = mention_candidates(target.body)
    if not handles:
        return report
    item = item if item is not None else reply.item
    community = item.community
    links, people = _links(community, handles)
    if not links:
        return report
    html, used = markdown_to_html_with_mentions(target.body, links)
    if html != target.body_html:
        type(target).objects.filter(pk=target.pk).update(body_html=html)
        target.body_html = html
    if item.is_hidden or (reply is not None and reply.is_hidden):
        return report
    used = list(dict.fromkeys(used))  # once each, in order
    named = [people[h] for h in used if h in people and people[h].pk != author.pk]
    report.beyond_limit = max(len(named) - PEOPLE_PER_TEXT, 0)
    named = named[:PEOPLE_PER_TEXT]
    groups, report.refused_groups = _group_recipients(
        community, author, [h for h in used if h in GROUPS]
    )
    # Who is told through which: by name (None) or a group's handle.
    wanted = {user.pk: None for user in named}
    for handle, ids in groups.items():
        for pk in ids:
            wanted.setdefault(pk, handle)
    if reply is not None:
        # The asker hears of every reply already ("replied to"): once is enough.
        wanted.pop(item.author_id, None)
    if not wanted:
        return report
    readers = {
        pk: (emails, language)
        for pk, emails, language in User.objects.filter(
            readers_q(community, staff=True), pk__in=wanted
        ).values_list("pk", "notification_emails", "language")
    }
    report.cannot_see = [u.display_name for u in named if u.pk not in readers]
    report.told = _tell(
        item=item, reply=reply, author=author, wanted=wanted, readers=readers
    )
    return report


def _group_recipients(community, author, handles) -> tuple[dict, list]:
    """({handle: [user ids]} of the groups this author may use and that are
    small enough, [(handle, reason)] of the others)."""
    if not handles:
        return {}, []
    if not can_mention_groups(author, community):
        reason = _(
            "only stewards and members with a leadership role may mention a "
            "group; nobody was told."
        )
        return {}, [(handle, reason) for handle in handles]
    groups, refused = {}, []
    for handle in handles:
        ids = list(group_members(community, handle)[: GROUP_REACH_LIMIT + 1])
        if len(ids) > GROUP_REACH_LIMIT:
            reason = _(
                "reaches more than %(limit)s people, more than a group mention "
                "may; nobody was told. Mention the people you need by name."
            ) % {"limit": GROUP_REACH_LIMIT}
            refused.append((handle, reason))
        else:
            groups[handle] = [pk for pk in ids if pk != author.pk]
    return groups, refused


def _tell(*, item, reply, author, wanted: dict, readers: dict) -> int:
    """Record a Mention for each reader not mentioned in this text before and
    notify them, unless they muted it. Returns how many were told."""
    already = set(
        Mention.objects.filter(item=item, reply=reply, user_id__in=readers).values_list(
            "user_id", flat=True
        )
    )
    new = [pk for pk in readers if pk not in already]
    if not new:
        return 0
    Mention.objects.bulk_create(
        [Mention(item=item, reply=reply, user_id=pk) for pk in new],
        ignore_conflicts=True,
    )
    muted = set(
        Follow.objects.filter(
            muted_q(item=item, actor_id=author.pk), user_id__in=new
        ).values_list("user_id", flat=True)
    )
    url = item.get_absolute_url()
    if reply is not None:
        url = f"{url}#reply-{reply.pk}"
    told = 0
    for handle in dict.fromkeys(wanted[pk] for pk in new):
        recipients = [
            (pk, *readers[pk]) for pk in new if wanted[pk] == handle and pk not in muted
        ]
        if handle is None:
            message = gettext_lazy("%(name)s mentioned you in “%(title)s”")
            params = {"name": author.display_name, "title": item.title}
        else:
            message = gettext_lazy("%(name)s mentioned @%(group)s in “%(title)s”")
            params = {
                "name": author.display_name,
                "group": handle,
                "title": item.title,
            }
        told += notify_many(
            recipients=recipients,
            kind="knowledge.mention",
            message=message,
            params=params,
            url=url,
            actor=author,
        )
    return told
