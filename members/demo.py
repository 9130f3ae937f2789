"""Demo members: a small organisation with all three kinds of leader."""

from members.markup import markdown_to_html
from members.models import DigestFrequency, LeadershipRole, User

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


def seed(stdout):
    created = 0
    for local, name, title, unit, location, role, expertise, interests in PEOPLE:
        email = f"{local}@practica.local"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=PASSWORD,
                username=local.replace(".", "-"),
                display_name=name,
                job_title=title,
                business_unit=unit,
                location=location,
                leadership_role=role,
                bio=BIOS.get(local, ""),
                bio_html=markdown_to_html(BIOS.get(local, "")),
                digest_frequency=DigestFrequency.WEEKLY,
                is_staff=local == "admin",
                is_superuser=local == "admin",
            )
            user.expertise.set(expertise)
            user.interests.set(interests)
            _verify_email(user)
            created += 1
    stdout.write(f"Members: {created} created, {len(PEOPLE)} in the demo.")


def _verify_email(user):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
