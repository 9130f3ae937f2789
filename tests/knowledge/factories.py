import factory
from django.db.models import F

from knowledge.models import Adoption, HelpfulMark, Item, ItemKind, Reply
from members.markup import markdown_to_html
from tests.communities.factories import CommunityFactory
from tests.members.factories import UserFactory


class ItemFactory(factory.django.DjangoModelFactory):
    """Creates rows directly; tests of behaviour should go through services."""

    class Meta:
        model = Item
        skip_postgeneration_save = True

    community = factory.SubFactory(CommunityFactory)
    kind = ItemKind.STORY
    title = factory.Sequence(lambda n: f"What we learned, part {n}")
    body = "We tried something new and it *worked*."
    body_html = factory.LazyAttribute(lambda o: markdown_to_html(o.body))
    author = factory.SubFactory(UserFactory)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)
            self.tag_names = " ".join(sorted(extracted))
            self.save(update_fields=["tag_names"])


class ReplyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reply

    item = factory.SubFactory(ItemFactory)
    author = factory.SubFactory(UserFactory)
    body = "Here is how we handled it."
    body_html = factory.LazyAttribute(lambda o: markdown_to_html(o.body))


class HelpfulMarkFactory(factory.django.DjangoModelFactory):
    """A mark, and the item's counter kept true as knowledge's services do."""

    class Meta:
        model = HelpfulMark

    item = factory.SubFactory(ItemFactory)
    user = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        mark = super()._create(model_class, *args, **kwargs)
        Item.objects.filter(pk=mark.item_id).update(
            helpful_count=F("helpful_count") + 1
        )
        return mark


class AdoptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Adoption

    item = factory.SubFactory(ItemFactory)
    community = factory.SubFactory(CommunityFactory)
    recorded_by = factory.SubFactory(UserFactory)
    note = "We adopted this in our team."
