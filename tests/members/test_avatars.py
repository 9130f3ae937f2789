"""Generated avatars: initials on a colour of the person's own, readable,
everywhere a person is named; people of the same name told apart."""

import pytest
from django.urls import reverse

from members.avatars import PALETTE, avatar_svg, colour_for, initials
from tests.members.factories import UserFactory


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    ]
    r, g, b = linear
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("colour", PALETTE)
def test_white_initials_are_readable_on_every_colour(colour):
    contrast = (1.05) / (_luminance(colour) + 0.05)
    assert contrast >= 4.5, f"{colour}: {contrast:.2f}"


def test_initials():
    assert initials("María López") == "ML"
    assert initials("Cher") == "C"
    assert initials("Jean-Luc Picard") == "JP"
    assert initials("") == "?"
    assert initials("  ") == "?"


def test_the_colour_is_the_same_every_time():
    assert colour_for(7) == colour_for(7)
    assert len({colour_for(n) for n in range(100)}) > 6


@pytest.mark.django_db
def test_the_svg_is_decorative_and_escaped():
    person = UserFactory(display_name="<b>Eve</b> Evil")
    svg = str(avatar_svg(person))
    assert 'aria-hidden="true"' in svg and "<b>" not in svg
    assert ">BE<" not in svg and "style=" not in svg


@pytest.mark.django_db
def test_the_directory_tells_two_people_of_the_same_name_apart(client, member):
    UserFactory(display_name="Alex Kim", email="alex.kim@example.com")
    UserFactory(
        display_name="Alex Kim",
        email="akim@example.com",
        business_unit="Logistics",
        location="Lagos",
    )
    client.force_login(member)
    html = client.get(reverse("members:directory"), {"q": "Alex"}).content.decode()
    assert html.count('class="avatar"') == 3  # the menu and the two cards
    assert "alex.kim" in html and "Lagos" in html


@pytest.mark.django_db
def test_the_profile_and_menu_show_avatars(client, member, other_member):
    client.force_login(member)
    html = client.get(other_member.get_absolute_url()).content.decode()
    assert html.count('class="avatar"') == 2  # the menu and the profile
