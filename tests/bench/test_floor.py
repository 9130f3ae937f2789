"""The bench floor view exists only in bench's own URLconf."""

from django.test import modify_settings, override_settings

from tests.communities.factories import CommunityFactory


def test_the_floor_view_is_not_in_production_urls(member_client):
    community = CommunityFactory()
    response = member_client.get(f"/bench/floor/?pk={community.pk}")
    assert response.status_code == 404


@override_settings(ROOT_URLCONF="bench.urls")
def test_the_floor_view_is_the_base_layout_and_one_pk_query(
    member_client, django_assert_num_queries
):
    community = CommunityFactory(name="Floor community")
    # session, member, unread badge, the community by primary key
    with django_assert_num_queries(4):
        response = member_client.get(f"/bench/floor/?pk={community.pk}")
    assert response.status_code == 200
    assert b"Floor community" in response.content
    assert b'<nav aria-label="Main"' in response.content


@override_settings(ROOT_URLCONF="bench.urls")
def test_the_floor_view_needs_a_login(client, db):
    response = client.get("/bench/floor/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@override_settings(ROOT_URLCONF="bench.urls")
@modify_settings(MIDDLEWARE={"prepend": "bench.middleware.QueryCountMiddleware"})
def test_the_bench_middleware_reports_the_query_count(member_client):
    community = CommunityFactory()
    response = member_client.get(f"/bench/floor/?pk={community.pk}")
    assert response["X-Bench-Queries"] == "4"
