"""Demo people: a small organisation with all three kinds of leader.

Accounts are created as sign-up does (a user with a verified e-mail); the
profile is filled through members.services.profile_update (which renders the
bio) and the admin gives each leader their role through
members.services.leadership_role_set (which notifies them), as staff would.
"""

from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from demo.backdating import backdate, notifications_at
from members.models import DigestFrequency, LeadershipRole, User
from members.services import leadership_role_set, profile_update

PASSWORD = "practica-demo"

# (email local part, name, title, unit, location, role, expertise, interests)
PEOPLE = [
    ("admin", "Ada Admin", "Practica administrator", "People & Learning", "Lyon",
     LeadershipRole.NONE, ["facilitation"], ["communities-of-practice"]),
    ("maria.lopez", "María López", "Plant manager", "Operations", "Valencia",
     LeadershipRole.LINE_LEADER, ["lean", "safety", "shift-handover"], ["coaching"]),
    ("tom.becker", "Tom Becker", "Head of Support", "Customer Support", "Berlin",
     LeadershipRole.LINE_LEADER, ["escalations", "onboarding"], ["data-analysis"]),
    ("aisha.khan", "Aisha Khan", "Sales director", "Sales", "London",
     LeadershipRole.LINE_LEADER, ["negotiation", "key-accounts"], ["storytelling"]),
    ("jon.ito", "Jon Ito", "Chief Operating Officer", "Executive team", "Tokyo",
     LeadershipRole.EXECUTIVE, ["strategy", "lean", "coaching"], ["systems-thinking"]),
    ("helen.moyo", "Helen Moyo", "Chief People Officer", "Executive team", "Cape Town",
     LeadershipRole.EXECUTIVE, ["coaching", "onboarding", "culture"], ["mentoring"]),
    ("sam.okafor", "Sam Okafor", "Internal consultant", "Transformation office",
     "Lagos", LeadershipRole.NETWORKER, ["facilitation", "systems-thinking"],
     ["lean"]),
    ("lena.fischer", "Lena Fischer", "HR business partner", "People & Learning",
     "Munich", LeadershipRole.NETWORKER, ["onboarding", "mentoring"],
     ["negotiation"]),
    ("raj.patel", "Raj Patel", "Field service engineer", "Customer Support", "Pune",
     LeadershipRole.NETWORKER, ["troubleshooting", "escalations"], ["safety"]),
    ("emma.stone", "Emma Stone", "Support specialist", "Customer Support", "Dublin",
     LeadershipRole.NONE, ["troubleshooting"], ["escalations", "onboarding"]),
    ("li.wei", "Li Wei", "Data analyst", "Finance", "Shanghai",
     LeadershipRole.NONE, ["data-analysis", "forecasting"], ["storytelling"]),
    ("noah.martin", "Noah Martin", "Account manager", "Sales", "Paris",
     LeadershipRole.NONE, ["key-accounts"], ["negotiation", "onboarding"]),
    ("fatima.zahra", "Fatima Zahra", "Process engineer", "Operations", "Casablanca",
     LeadershipRole.NONE, ["lean", "safety"], ["data-analysis"]),
    ("oliver.brown", "Oliver Brown", "Graduate trainee", "Operations", "Leeds",
     LeadershipRole.NONE, [], ["lean", "shift-handover", "safety"]),
    ("sofia.rossi", "Sofia Rossi", "UX researcher", "Product", "Milan",
     LeadershipRole.NONE, ["storytelling", "interviews"], ["facilitation"]),
    ("kwame.mensah", "Kwame Mensah", "Product manager", "Product", "Accra",
     LeadershipRole.LINE_LEADER, ["roadmapping", "interviews"], ["strategy"]),
]  # fmt: skip

# Everyone sees times in their own zone (members.timezones).
ZONES = {
    "Lyon": "Europe/Paris", "Valencia": "Europe/Madrid", "Berlin": "Europe/Berlin",
    "London": "Europe/London", "Tokyo": "Asia/Tokyo",
    "Cape Town": "Africa/Johannesburg", "Lagos": "Africa/Lagos",
    "Munich": "Europe/Berlin", "Pune": "Asia/Kolkata", "Dublin": "Europe/Dublin",
    "Shanghai": "Asia/Shanghai", "Paris": "Europe/Paris",
    "Casablanca": "Africa/Casablanca", "Leeds": "Europe/London",
    "Milan": "Europe/Rome", "Accra": "Africa/Accra",
}  # fmt: skip

# A few people introduce themselves, so profiles look like the real thing.
BIOS = {
    "maria.lopez": (
        "I run a plant of 400 people across three shifts. Most of what we know "
        "about a good **shift handover** was never written down: I'm here to "
        "change that, one story at a time."
    ),
    "jon.ito": (
        "I try to be a thinking partner for our line leaders rather than the "
        "person with the answers. Ask me about *lean* at scale, or about what "
        "went wrong the first time we tried it."
    ),
    "sam.okafor": (
        "Internal consultant, no formal authority, lots of coffee. I move "
        "between units and help good ideas travel:\n\n"
        "- facilitation of retrospectives\n- systems thinking\n"
        "- connecting people who should talk"
    ),
    "emma.stone": (
        "Support specialist in Dublin. I learned most of my job from the "
        "people sitting next to me, and I want the next newcomer to have the "
        "same luck."
    ),
    "oliver.brown": (
        "Graduate trainee in Operations, six weeks in. Learning everything "
        "about lean and safety I can; happy to be shadowing anyone who'll have me."
    ),
}


# How long each person has been with the organisation (days): before any of
# their community memberships (demo/communities.py), so "Member since" reads true.
WITH_US_DAYS = {
    "admin": 800, "maria.lopez": 1500, "tom.becker": 900, "aisha.khan": 700,
    "jon.ito": 2000, "helen.moyo": 1200, "sam.okafor": 650, "lena.fischer": 400,
    "raj.patel": 1100, "emma.stone": 420, "li.wei": 60, "noah.martin": 365,
    "fatima.zahra": 1000, "oliver.brown": 45, "sofia.rossi": 120, "kwame.mensah": 900,
}  # fmt: skip


def seed(stdout):
    now = timezone.now()
    # Everyone shares the published demo password: hash it once, not per
    # person (a slow hash, on purpose, in every setting but the tests').
    password = make_password(PASSWORD)
    admin = None
    created = 0
    for local, name, title, unit, location, role, expertise, interests in PEOPLE:
        email = f"{local}@practica.local"
        user = User.objects.filter(email=email).first()
        if user is None:
            joined = now - timedelta(days=WITH_US_DAYS.get(local, 365))
            user = _sign_up(local, email, name, password, is_admin=local == "admin")
            # Everyone in the demo has been here a while: past the welcome.
            backdate(user, date_joined=joined, onboarded_at=joined)
            profile_update(
                member=user,
                display_name=name,
                job_title=title,
                business_unit=unit,
                location=location,
                bio=BIOS.get(local, ""),
                expertise=expertise,
                interests=interests,
                digest_frequency=DigestFrequency.WEEKLY,
                time_zone=ZONES.get(location, ""),
                language="en",
            )
            if role != LeadershipRole.NONE and admin is not None:
                with notifications_at(joined + timedelta(days=1)):
                    leadership_role_set(actor=admin, member=user, role=role)
            created += 1
        if local == "admin":
            admin = user
    stdout.write(f"Members: {created} created, {len(PEOPLE)} in the demo.")


def _sign_up(local, email, name, password, *, is_admin: bool) -> User:
    """An account as sign-up leaves it: a user and a verified e-mail address."""
    from allauth.account.models import EmailAddress

    user = User.objects.create(
        email=email,
        password=password,
        username=local.replace(".", "-"),
        display_name=name,
        is_staff=is_admin,
        is_superuser=is_admin,
    )
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user
