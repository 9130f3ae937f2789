import factory
from django.utils import timezone

from mentoring.models import (
    CheckIn,
    Format,
    Goal,
    MentoringRequest,
    MentorOffer,
    Pair,
)
from tests.members.factories import UserFactory


class MentorOfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentorOffer
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    available = True
    capacity = 2
    offers_mentoring = True

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)


class MentoringRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentoringRequest
        skip_postgeneration_save = True

    mentee = factory.SubFactory(UserFactory)
    goals = "Run a shift handover on my own."
    format = Format.MENTORING

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create:
            self.topics.set(extracted or ["onboarding"])


class PairFactory(factory.django.DjangoModelFactory):
    """A pair in any state; `active` / `proposed` traits set the timestamps."""

    class Meta:
        model = Pair

    request = factory.SubFactory(MentoringRequestFactory)
    mentee = factory.SelfAttribute("request.mentee")
    mentor = factory.SubFactory(UserFactory)
    broker = factory.SubFactory(UserFactory, leadership_role="line_leader")
    format = Format.MENTORING
    status = Pair.Status.PROPOSED

    class Params:
        active = factory.Trait(
            status=Pair.Status.ACTIVE,
            mentor_accepted_at=factory.LazyFunction(timezone.now),
            mentee_accepted_at=factory.LazyFunction(timezone.now),
            started_at=factory.LazyFunction(timezone.now),
        )


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    pair = factory.SubFactory(PairFactory, active=True)
    text = factory.Sequence(lambda n: f"Goal {n}")


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    pair = factory.SubFactory(PairFactory, active=True)
    notes = "We talked."
    progress = 40
