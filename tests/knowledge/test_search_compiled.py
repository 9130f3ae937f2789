"""The search page's reads compiled once per process (config.compiled_queries):
its rows and the people found answer what the ORM's queries answer, for
every later call's values, and read nothing else."""

import pytest
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone

from knowledge.models import Item
from knowledge.selectors import search
from knowledge.selectors.finder import people_matching
from knowledge.selectors.visibility import LIST_RELATED, LIST_ROW_FIELDS
from members.models import User
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(make_item, member, other_member, community, private):
    """Items in two communities, one hidden, one shared from the other."""
    first = make_item(
        author=member, community=community, title="Night <handover>", tags=["lean"]
    )
    second = make_item(
        author=other_member, community=private, title="Renewals", body="Terms."
    )
    hidden = make_item(author=member, community=community, title="Gone")
    Item.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    copy = make_item(author=other_member, community=community, title="Renewals")
    Item.objects.filter(pk=copy.pk).update(shared_from=second)
    return [first, second, hidden, copy]


def _orm_items(ids):
    return {
        item.pk: item
        for item in Item.objects.filter(pk__in=ids)
        .select_related(*LIST_RELATED)
        .only(*LIST_ROW_FIELDS, "body_html")
    }


@pytest.mark.parametrize(
    ("body", "headline"), [(True, False), (False, False), (False, True)]
)
def test_page_rows_are_the_orm_s_for_each_call_s_ids(rows, body, headline):
    """Each call reads its own ids (the first compiled the query), with
    every column a row shows, its related rows (None where there is none),
    and the body, its digest or its headline as asked."""
    for ids in ([rows[0].pk], [row.pk for row in rows], [rows[3].pk, rows[1].pk]):
        found = search._page_items(ids, "renewals", body=body, headline=headline)
        orm = _orm_items(ids)
        assert sorted(item.pk for item in found) == sorted(ids)
        for item in found:
            theirs = orm[item.pk]
            for name in LIST_ROW_FIELDS:
                mine, want = item, theirs
                for step in name.split("__"):
                    mine = getattr(mine, step) if mine is not None else None
                    want = getattr(want, step) if want is not None else None
                assert mine == want, (item.pk, name)
            assert (item.shared_from is None) == (theirs.shared_from is None)
            assert not item._state.adding
            if body:
                assert item.body_html == theirs.body_html
            else:
                assert len(item.body_digest) == 32
                assert "body_html" not in item.__dict__
            assert hasattr(item, "headline") == headline
    copy = search._page_items([rows[3].pk], "", body=True, headline=False)[0]
    assert copy.shared_from.community.name == rows[1].community.name


def test_page_rows_headline_marks_the_words(rows):
    found = search._page_items([rows[1].pk], "terms", body=False, headline=True)
    assert search._HL_START + "Terms" + search._HL_STOP in found[0].headline


def _orm_people(q, limit=5):
    """people_matching as the ORM wrote it before it was compiled."""
    q = q.strip()
    name = (
        Q(display_name__icontains=q) if len(q) >= 3 else Q(display_name__istartswith=q)
    )
    return list(
        User.objects.filter(is_active=True)
        .filter(name | Q(username__istartswith=q))
        .annotate(
            starts=Case(
                When(display_name__istartswith=q, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("starts", "display_name", "pk")
        .values_list("pk", "username", "display_name", "job_title")[:limit]
    )


def test_people_found_are_the_orm_s_for_each_call_s_words():
    """Containing from three letters, starting with below; case folded;
    LIKE's wildcards and escape taken literally; inactive members never."""
    for name in (
        "Marta Berg",
        "Berta Marta",
        "marta lowercase",
        "Ma Li",
        "Olga 50% Off",
        "Under_Score",
        "Back\\Slash",
        "Maria",
        "Mat",
    ):
        UserFactory(display_name=name, job_title="Engineer")
    UserFactory(display_name="Marta Gone", is_active=False)
    for q in ("marta", "MARTA", "ma", "m", "50%", "%", "r_s", "_", "\\", "k\\s", "zz"):
        found = [
            (p.pk, p.username, p.display_name, p.job_title)
            for p in people_matching(q=q)
        ]
        assert found == _orm_people(q), q
    assert "Marta Gone" not in [p.display_name for p in people_matching(q="marta")]
    assert [p.display_name for p in people_matching(q="50%")] == ["Olga 50% Off"]
    assert [p.display_name for p in people_matching(q="r_s")] == ["Under_Score"]
    assert people_matching(q="%") == people_matching(q="_") == []
    assert people_matching(q="  ") == []


def test_a_new_renamed_or_deactivated_member_shows_so_at_once(client):
    """Nothing is cached: the next search reads the members as they are."""
    assert people_matching(q="zebedee") == []
    newcomer = UserFactory(display_name="Zebedee New")
    assert [p.pk for p in people_matching(q="zebedee")] == [newcomer.pk]
    User.objects.filter(pk=newcomer.pk).update(display_name="Zachary New")
    assert people_matching(q="zebedee") == []
    assert [p.display_name for p in people_matching(q="zach")] == ["Zachary New"]
    User.objects.filter(pk=newcomer.pk).update(is_active=False)
    assert people_matching(q="zach") == []
