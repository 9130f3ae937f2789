"""model_update: only changed fields are cleaned and saved, and it says
whether anything changed."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from communities.models import Membership
from members.model_update import model_update
from members.models import User
from tests.communities.factories import MembershipFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_nothing_changed_means_no_query_and_false(django_assert_num_queries):
    user = UserFactory(display_name="Ada", job_title="Welder")
    with django_assert_num_queries(0):
        changed = model_update(
            instance=user,
            fields=["display_name", "job_title"],
            data={"display_name": "Ada", "job_title": "Welder"},
        )
    assert changed is False


def test_only_the_changed_columns_are_written():
    user = UserFactory(display_name="Ada", job_title="Welder")
    # Someone else changes another column meanwhile: it must survive.
    User.objects.filter(pk=user.pk).update(location="Lyon")
    changed = model_update(
        instance=user,
        fields=["display_name", "job_title", "location"],
        data={"display_name": "Ada L.", "job_title": "Welder", "location": ""},
        clean_exclude=["password"],
    )
    assert changed is True
    user.refresh_from_db()
    assert user.display_name == "Ada L." and user.location == "Lyon"


def test_names_outside_fields_and_missing_from_data_are_left_alone():
    user = UserFactory(display_name="Ada", job_title="Welder")
    changed = model_update(
        instance=user,
        fields=["job_title"],
        data={"display_name": "Not me", "location": "Ignored"},
    )
    assert changed is False
    user.refresh_from_db()
    assert (user.display_name, user.job_title) == ("Ada", "Welder")


def test_invalid_data_is_refused_and_not_saved():
    user = UserFactory(display_name="Ada")
    with pytest.raises(ValidationError) as exc:
        model_update(
            instance=user,
            fields=["display_name"],
            data={"display_name": "x" * 121},
            clean_exclude=["password"],
        )
    assert "display_name" in exc.value.error_dict
    assert User.objects.get(pk=user.pk).display_name == "Ada"


def test_auto_now_columns_move_with_a_change():
    membership = MembershipFactory()
    Membership.objects.filter(pk=membership.pk).update(
        updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    membership.refresh_from_db()
    assert model_update(
        instance=membership,
        fields=["role"],
        data={"role": Membership.Role.STEWARD},
    )
    membership.refresh_from_db()
    assert membership.role == Membership.Role.STEWARD
    assert membership.updated_at.year > 2020


def test_a_relation_is_compared_by_id_without_loading_it(django_assert_num_queries):
    inviter = UserFactory()
    membership = MembershipFactory(invited_by=inviter)
    membership = Membership.objects.get(pk=membership.pk)  # relation not loaded
    with django_assert_num_queries(0):
        assert not model_update(
            instance=membership, fields=["invited_by"], data={"invited_by": inviter}
        )
    other = UserFactory()
    assert model_update(
        instance=membership, fields=["invited_by"], data={"invited_by": other}
    )
    assert Membership.objects.get(pk=membership.pk).invited_by_id == other.pk


def test_many_to_many_fields_are_refused():
    user = UserFactory()
    with pytest.raises(ValueError, match="many-to-many"):
        model_update(instance=user, fields=["expertise"], data={"expertise": ["x"]})
