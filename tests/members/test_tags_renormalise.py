"""Re-normalising stored tags (members.tags.tags_renormalise, run by the data
migration members 0003): legacy names become canonical, tags that become
the same name merge, and no object ends up with a tag twice."""

import importlib

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from taggit.models import Tag, TaggedItem

from communities.models import CommunityTag
from knowledge.models import ItemTag
from knowledge.services import items_tag_names_refresh
from members.models import ExpertiseTag, InterestTag
from members.tags import tags_renormalise
from mentoring.models import RequestTopic
from tests.communities.factories import CommunityFactory
from tests.knowledge.factories import ItemFactory
from tests.members.factories import UserFactory
from tests.mentoring.factories import MentoringRequestFactory, MentorOfferFactory

pytestmark = pytest.mark.django_db


def _tag(name, slug=None):
    return Tag.objects.create(name=name, slug=slug or name.replace(" ", "-"))


def _names(manager):
    return sorted(manager.names())


def test_legacy_spellings_merge_into_the_canonical_tag_across_every_app():
    spaced = _tag("shift handover", slug="shift-handover")
    canonical = _tag("shift-handover", slug="shift-handover_1")
    shouting = _tag("Shift_Handover", slug="shift_handover")
    maria = UserFactory(expertise=[spaced])
    omar = UserFactory(expertise=[shouting], interests=[spaced])
    question = ItemFactory(tags=["shift-handover"])
    community = CommunityFactory(tags=[spaced, shouting])
    offer = MentorOfferFactory(topics=[shouting])
    req = MentoringRequestFactory(topics=[spaced])

    counts = tags_renormalise(tag_model=Tag)

    tag = Tag.objects.get()
    # The tag already so named survives, and takes the clean slug.
    assert (tag.pk, tag.name, tag.slug) == (
        canonical.pk,
        "shift-handover",
        "shift-handover",
    )
    assert _names(maria.expertise) == _names(omar.expertise) == ["shift-handover"]
    assert _names(omar.interests) == ["shift-handover"]
    assert _names(question.tags) == ["shift-handover"]
    assert _names(offer.topics) == _names(req.topics) == ["shift-handover"]
    # The community had two spellings: one link is left, not two.
    assert CommunityTag.objects.filter(content_object=community).count() == 1
    assert counts == {"merged": 2, "links_moved": 6, "links_dropped": 1}


def test_a_tag_alone_is_renamed_and_gets_its_slug():
    lean = _tag("Lean", slug="lean_3")
    member = UserFactory(expertise=[lean])

    assert tags_renormalise(tag_model=Tag) == {"renamed": 1}

    lean.refresh_from_db()
    assert (lean.name, lean.slug) == ("lean", "lean")
    assert _names(member.expertise) == ["lean"]


def test_without_a_canonical_tag_the_oldest_survives_renamed():
    first = _tag("Shift Handover", slug="shift-handover")
    second = _tag("shift_handover", slug="shift_handover")
    member = UserFactory(expertise=[first, second])

    counts = tags_renormalise(tag_model=Tag)

    assert list(Tag.objects.values_list("pk", "name", "slug")) == [
        (first.pk, "shift-handover", "shift-handover")
    ]
    assert ExpertiseTag.objects.filter(content_object=member).count() == 1
    assert counts == {"merged": 1, "renamed": 1, "links_dropped": 1}


def test_a_slug_another_tag_holds_is_not_taken():
    _tag("c#", slug="c")
    plus = _tag("C++", slug="c_1")

    tags_renormalise(tag_model=Tag)

    plus.refresh_from_db()
    assert (plus.name, plus.slug) == ("c++", "c_1")


def test_tags_with_nothing_left_of_their_name_are_deleted_with_their_links():
    junk = _tag("/", slug="slash")
    member = UserFactory(expertise=[junk, _tag("lean")])

    assert tags_renormalise(tag_model=Tag) == {"deleted": 1}

    assert _names(member.expertise) == ["lean"]
    assert not Tag.objects.filter(pk=junk.pk).exists()


def test_generic_taggit_links_merge_without_duplicates():
    old, new = _tag("Old Name", slug="old-name"), _tag("old-name", slug="old-name_1")
    member = UserFactory()
    ct = ContentType.objects.get_for_model(member)
    TaggedItem.objects.create(tag=old, content_type=ct, object_id=member.pk)
    TaggedItem.objects.create(tag=new, content_type=ct, object_id=member.pk)
    other = UserFactory()
    TaggedItem.objects.create(tag=old, content_type=ct, object_id=other.pk)

    tags_renormalise(tag_model=Tag)

    assert sorted(TaggedItem.objects.values_list("object_id", "tag_id")) == sorted(
        [(member.pk, new.pk), (other.pk, new.pk)]
    )


def test_a_second_run_changes_nothing():
    UserFactory(expertise=[_tag("Shift Handover"), _tag("shift_handover", "x")])
    tags_renormalise(tag_model=Tag)
    links = sorted(ExpertiseTag.objects.values_list("content_object_id", "tag_id"))

    assert tags_renormalise(tag_model=Tag) == {}
    assert (
        sorted(ExpertiseTag.objects.values_list("content_object_id", "tag_id")) == links
    )


def test_moved_item_links_keep_the_item_date():
    _tag("Shift Handover", slug="sh")
    new = _tag("shift-handover")
    item = ItemFactory(tags=["Shift Handover"])
    ItemFactory(tags=["shift-handover"])

    tags_renormalise(tag_model=Tag)

    link = ItemTag.objects.get(content_object=item)
    assert (link.tag_id, link.item_created_at) == (new.pk, item.created_at)


def test_the_migration_merges_with_the_historical_models():
    """members 0003 runs tags_renormalise on the migration state's models,
    which hold every app's through model (the state of all applied
    migrations), so every app's links move."""
    spaced, canonical = _tag("shift handover", slug="sh"), _tag("shift-handover")
    member = UserFactory(expertise=[spaced], interests=[canonical, spaced])
    item = ItemFactory(tags=["shift handover"])
    req = MentoringRequestFactory(topics=[spaced, canonical])
    apps = MigrationLoader(connection).project_state().apps
    migration = importlib.import_module("members.migrations.0002_tags_renormalised")

    migration.renormalise(apps, None)

    assert list(Tag.objects.values_list("name", flat=True)) == ["shift-handover"]
    assert _names(member.expertise) == ["shift-handover"]
    assert InterestTag.objects.filter(content_object=member).count() == 1
    assert ItemTag.objects.get(content_object=item).tag_id == canonical.pk
    assert RequestTopic.objects.filter(content_object=req).count() == 1


def test_items_tag_names_and_search_vectors_follow_renamed_tags():
    """knowledge 0008 re-derives Item.tag_names and the search vector."""
    question = ItemFactory(tags=["Shift_Handover", "lean"])
    untouched = ItemFactory(tags=["safety"])
    assert question.tag_names == "Shift_Handover lean"
    assert question.search_vector is None

    tags_renormalise(tag_model=Tag)
    assert items_tag_names_refresh() == 1

    question.refresh_from_db()
    untouched.refresh_from_db()
    assert question.tag_names == "lean shift-handover"
    assert question.tag_list == ["lean", "shift-handover"]
    assert question.search_vector is not None
    assert (untouched.tag_names, untouched.search_vector) == ("safety", None)
    assert items_tag_names_refresh() == 0
