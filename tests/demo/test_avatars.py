"""demo.avatars: a few demo people have a photo, once."""

import io

import pytest

from demo import avatars
from members.avatars import avatar_html
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_demo_people_get_a_photo_once():
    maria = UserFactory(username="maria-lopez")
    other = UserFactory(username="someone-else")
    avatars.seed(io.StringIO())
    maria.refresh_from_db()
    version = maria.avatar_version
    assert version and "<img" in str(avatar_html(maria, 40))
    avatars.seed(io.StringIO())
    maria.refresh_from_db()
    other.refresh_from_db()
    assert maria.avatar_version == version and other.avatar_version == ""
