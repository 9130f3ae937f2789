import pytest

from dashboards.participation import gini, top_share


def test_gini_is_zero_when_everyone_contributes_equally():
    assert gini([1, 1, 1, 1]) == 0


def test_gini_when_one_person_does_everything_is_n_minus_one_over_n():
    assert gini([0, 0, 0, 4]) == pytest.approx(0.75)


def test_gini_of_one_two_three_is_two_ninths():
    assert gini([3, 1, 2]) == pytest.approx(2 / 9)


@pytest.mark.parametrize("counts", [[], [0, 0, 0]])
def test_gini_is_undefined_without_contributions(counts):
    assert gini(counts) is None


def test_top_share_takes_the_top_tenth_of_contributors_rounded_up():
    counts = [10] + [1] * 19  # twenty contributors: the top 10% is two people
    assert top_share(counts) == (2, pytest.approx(11 / 29))


def test_top_share_ignores_members_without_contributions():
    assert top_share([6, 2, 2, 0, 0, 0]) == (1, pytest.approx(0.6))


def test_top_share_is_undefined_without_contributors():
    assert top_share([0, 0]) == (0, None)
