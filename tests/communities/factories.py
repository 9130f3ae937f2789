import factory
from django.utils import timezone

from communities.models import Community, Membership, Visibility
from communities.services.counts import member_counts_recount
from tests.members.factories import UserFactory


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Community {n}")
    slug = factory.Sequence(lambda n: f"community-{n}")
    purpose = "Getting better at what we do, together."
    visibility = Visibility.OPEN
    created_by = factory.SubFactory(UserFactory)

    class Params:
        private = factory.Trait(visibility=Visibility.PRIVATE)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    community = factory.SubFactory(CommunityFactory)
    role = Membership.Role.MEMBER
    status = Membership.Status.ACTIVE
    joined_at = factory.LazyFunction(timezone.now)

    class Params:
        steward = factory.Trait(role=Membership.Role.STEWARD)
        pending = factory.Trait(status=Membership.Status.PENDING, joined_at=None)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Rows made here skip the services; the counters they keep are
        # counted again so pages read what the services would have left.
        membership = super()._create(model_class, *args, **kwargs)
        if membership.is_active:
            member_counts_recount(community_ids=[membership.community_id])
        return membership
