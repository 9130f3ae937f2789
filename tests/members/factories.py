import factory
from django.utils import timezone

from members.models import LeadershipRole, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    username = factory.Sequence(lambda n: f"person-{n}")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    leadership_role = LeadershipRole.NONE
    password = factory.django.Password("correct-horse-battery")
    # An existing member; a brand-new one (first visit) has onboarded_at=None.
    onboarded_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def expertise(self, create, extracted, **kwargs):
        if create and extracted:
            self.expertise.set(extracted)

    @factory.post_generation
    def interests(self, create, extracted, **kwargs):
        if create and extracted:
            self.interests.set(extracted)
