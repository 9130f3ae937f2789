"""config.compiled_queries: a queryset compiled once per process answers
exactly what the ORM answers, for every later call's values, and refuses
a query whose values it could not swap safely."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.models import Community, Membership
from config import compiled_queries
from knowledge import services
from knowledge.models import Item, Reply
from knowledge.selectors import items as item_selectors
from members.models import User
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_items(make_item, member, community, private):
    first = make_item(author=member, community=community, title="First")
    second = make_item(author=member, community=private, title="Second")
    for item in (first, second):
        for n in range(3):
            services.reply_create(item=item, author=UserFactory(), body=f"Tip {n}")
    return first, second


def orm_rows(build, **values):
    return list(build(**values))


def test_rows_answer_what_the_orm_answers_for_each_call_s_values(
    two_items, member, steward
):
    """The first call compiles; the later ones, with other values, read their
    own rows, not the first call's (the item page's facts and replies)."""
    first, second = two_items
    Reply.objects.filter(item=second).update(hidden_at=timezone.now())
    seen = []
    for item in (first, second, first):
        for viewer in (member, steward):
            values = {"item_id": item.pk, "viewer_id": viewer.pk}
            found = compiled_queries.rows(
                "test-facts", item_selectors._facts_query, **values
            )
            assert found == orm_rows(item_selectors._facts_query, **values)
            for helpful in (False, True):
                shape = {"accepted_id": 0} if helpful else {}

                def build(helpful=helpful, **kwargs):
                    return item_selectors._replies_query(helpful=helpful, **kwargs)

                found = compiled_queries.rows(
                    f"test-replies:{helpful}", build, **values, **shape
                )
                assert found == orm_rows(build, **values, **shape)
                seen.append(found)
    assert seen[0] != seen[4]  # the two items' replies differ


def test_instances_are_the_orm_s_with_their_related_rows(two_items, member):
    first, second = two_items
    second.hidden_by = member
    second.save(update_fields=["hidden_by"])
    for item in (first, second):
        found = compiled_queries.instances(
            "test-item",
            lambda pk: Item.objects.filter(pk=pk),
            related=("community", "hidden_by"),
            pk=item.pk,
        )
        orm = Item.objects.select_related("community", "hidden_by").get(pk=item.pk)
        assert len(found) == 1
        got = found[0]
        for model, mine, theirs in (
            (Item, got, orm),
            (Community, got.community, orm.community),
        ):
            for field in model._meta.concrete_fields:
                assert getattr(mine, field.attname) == getattr(theirs, field.attname)
        assert got.hidden_by == orm.hidden_by  # None for the first
        assert not got._state.adding and got._state.db == "default"


def test_instances_with_only_read_what_only_reads(two_items, member, community):
    """With `only`, the fields only() names are loaded, the rest deferred,
    and relations followed through "__" (a shared item's original's
    community), or None where the foreign key is empty."""
    first, second = two_items
    elsewhere = CommunityFactory()
    MembershipFactory(user=member, community=elsewhere)
    copy = services.item_share(item=first, community=elsewhere, acting_user=member)
    only = ("title", "author__display_name", "shared_from__community__name")
    for item in (first, second, copy):
        found = compiled_queries.instances(
            "test-only",
            lambda pk: Item.objects.filter(pk=pk),
            only=only,
            pk=item.pk,
        )
        orm = (
            Item.objects.select_related("author", "shared_from__community")
            .only(*only)
            .get(pk=item.pk)
        )
        got = found[0]
        assert got.get_deferred_fields() == orm.get_deferred_fields()
        assert (got.pk, got.title, got.author_id) == (orm.pk, orm.title, orm.author_id)
        assert got.author.display_name == orm.author.display_name
        assert got.author.get_deferred_fields() == orm.author.get_deferred_fields()
        if item is copy:
            assert got.shared_from.community.name == first.community.name
            assert got.shared_from.get_deferred_fields() == (
                orm.shared_from.get_deferred_fields()
            )
        else:
            assert got.shared_from is None and got.shared_from_id is None


def test_no_row_no_instance(member, community):
    found = compiled_queries.instances(
        "test-membership",
        lambda user_id, community_id: Membership.objects.filter(
            user_id=user_id, community_id=community_id
        ),
        user_id=UserFactory().pk,
        community_id=community.pk,
    )
    assert found == []


def test_a_value_the_orm_would_not_pass_as_a_parameter_is_refused(member):
    with pytest.raises(ValueError, match="title"):
        compiled_queries.rows(
            "test-contains",
            lambda title: Item.objects.filter(title__icontains=title).values_list("pk"),
            title="night",
        )
    with pytest.raises(ValueError, match="unused"):
        compiled_queries.rows(
            "test-unused",
            lambda unused: Item.objects.values_list("pk"),
            unused=1,
        )
    with pytest.raises(TypeError):
        compiled_queries.rows(
            "test-none",
            lambda pk: Item.objects.filter(pk=pk).values_list("pk"),
            pk=None,
        )


def test_the_models_read_as_instances_need_no_conversion():
    """instances() hands PostgreSQL's values to from_db() unconverted: the
    models it reads (access_item, membership_of) must not need any."""
    for model in (Item, Community, User, Membership):
        for field in model._meta.concrete_fields:
            assert not field.get_db_converters(connection), (model, field)
            assert not connection.ops.get_db_converters(field), (model, field)


def test_reads_go_where_the_router_sends_the_model(monkeypatch, member, community):
    asked = []
    real = compiled_queries.router.db_for_read

    def db_for_read(model, **hints):
        asked.append(model)
        return real(model, **hints)

    monkeypatch.setattr(compiled_queries.router, "db_for_read", db_for_read)
    other = CommunityFactory()
    MembershipFactory(user=member, community=other)
    from communities.access import membership_of

    assert membership_of(member, other).community_id == other.pk
    assert Membership in asked


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


def _memberships(*, user_id):
    return Membership.objects.filter(user_id=user_id).values_list("pk", "status")


def test_a_compiled_read_is_prepared_from_its_second_run_and_still_logged(
    member, community
):
    """Its SQL runs bound on the server, so psycopg prepares it on its second
    run on a connection (PostgreSQL then keeps its plan); each run is still
    one query in Django's log, with its values written in as the ORM's are
    (psycopg keeps no text of a prepared run), and the ORM's own queries are
    never prepared."""
    expected = orm_rows(_memberships, user_id=member.pk)
    assert expected
    with CaptureQueriesContext(connection) as captured:
        for _ in range(3):
            found = compiled_queries.rows(
                "test-prepared", _memberships, user_id=member.pk
            )
            assert found == expected
        assert found == orm_rows(_memberships, user_id=member.pk)
    logged = [query["sql"] for query in captured]
    assert len(logged) == 4 and len(set(logged)) == 1
    assert f'"user_id" = {member.pk}' in logged[0]
    prepared = [s for s in _prepared_statements() if "communities_membership" in s]
    assert len(prepared) == 1 and '"user_id" = $1' in prepared[0]
    # Other values use the same prepared statement.
    other = UserFactory()
    MembershipFactory(user=other, community=community)
    assert compiled_queries.rows(
        "test-prepared", _memberships, user_id=other.pk
    ) == orm_rows(_memberships, user_id=other.pk)
    assert [
        s for s in _prepared_statements() if "communities_membership" in s
    ] == prepared


def _memberships_other_shape(*, user_id):
    return Membership.objects.filter(user_id=user_id).values_list("status", "pk")


def test_with_prepared_statements_off_nothing_is_prepared(monkeypatch, member):
    """DB_PREPARED_STATEMENTS=false (behind a pooler that cannot keep them):
    compiled reads run on Django's own cursor and prepare nothing."""
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "prepare_threshold", None)
    for _ in range(3):
        assert compiled_queries.rows(
            "test-unprepared", _memberships_other_shape, user_id=member.pk
        ) == orm_rows(_memberships_other_shape, user_id=member.pk)
    assert not [s for s in _prepared_statements() if "communities_membership" in s]
