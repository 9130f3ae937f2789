"""The REST API, /api/v1/. Views are thin, as on the pages: parse with a
serializer, fetch through the apps' access functions (404 for what the
caller may not see) and selectors, write through their check_* entries.
Nothing here decides who may see what."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from api import pagination
from api import serializers as s
from communities import access
from communities import permissions as community_perms
from communities import selectors as community_selectors
from communities.services.membership import check_community_join, check_community_leave
from knowledge import checks, selectors
from knowledge import permissions as item_perms
from knowledge.models import Item, ItemKind
from knowledge.selectors import finder
from members import selectors as member_selectors
from members.models import LeadershipRole
from members.tags import tag_normalise
from mentoring import permissions as mentoring_perms
from mentoring import selectors as mentoring_selectors
from mentoring.services.requests import check_request_create, check_request_withdraw
from notifications import selectors as notification_selectors
from notifications import services as notification_services

ERRORS = {
    400: OpenApiResponse(s.ErrorSerializer, description="Input that does not fit"),
    401: OpenApiResponse(s.ErrorSerializer, description="Not signed in"),
    403: OpenApiResponse(s.ErrorSerializer, description="Not allowed"),
    404: OpenApiResponse(s.ErrorSerializer, description="Not there, or not visible"),
    409: OpenApiResponse(s.ErrorSerializer, description="Not in this state"),
    429: OpenApiResponse(s.ErrorSerializer, description="Too many requests"),
}


def errors(*codes):
    return {code: ERRORS[code] for code in (401, 429, *codes)}


def _query(request, name: str, *, choices=None) -> str:
    value = request.query_params.get(name, "").strip()
    if value and choices is not None and value not in choices:
        raise ValidationError(
            {name: [_("Choose one of: %(c)s.") % {"c": ", ".join(choices)}]}
        )
    return value


def _positive_id(value) -> int:
    """A path id PostgreSQL can compare; anything else is simply not there."""
    if not (0 < value < 2**63):
        raise Http404
    return value


class ApiView(GenericAPIView):
    # The schema describes every operation; OPTIONS answers 405 rather than
    # guess at an object (DRF's metadata would fetch one without a check).
    metadata_class = None

    def initial(self, request, *args, **kwargs):
        """DRF's, with the rate limit counted before the permission check,
        so requests that are not signed in are limited too."""
        self.format_kwarg = self.get_format_suffix(**kwargs)
        negotiated = self.perform_content_negotiation(request)
        request.accepted_renderer, request.accepted_media_type = negotiated
        version, scheme = self.determine_version(request, *args, **kwargs)
        request.version, request.versioning_scheme = version, scheme
        self.perform_authentication(request)
        self.check_throttles(request)
        self.check_permissions(request)

    # No model-wide queryset: each view reads through a selector.
    def get_queryset(self):  # pragma: no cover - never called
        raise NotImplementedError


# --- Communities ------------------------------------------------------------------


class CommunityList(ApiView):
    pagination_class = pagination.ByNameCursor
    serializer_class = s.CommunitySerializer

    @extend_schema(
        summary="Communities",
        description=(
            "Every community by name. A private community the caller is not in "
            "shows its name and purpose only (`inside` is null)."
        ),
        parameters=[
            OpenApiParameter("q", str, description="Words in the name or purpose"),
            OpenApiParameter("tag", str, description="A topic"),
        ],
        responses={200: s.CommunitySerializer(many=True), **errors(400, 404)},
    )
    def get(self, request):
        rows = community_selectors.community_list(
            user=request.user,
            q=_query(request, "q"),
            tag=tag_normalise(_query(request, "tag")),
        )
        page = self.paginate_queryset(rows)
        for community in page:
            community.show_details = community_perms.can_see_listing_details(
                request.user, community
            )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


def _community_detail(request, community):
    """After access_community: the list's row (size, my status, topics)."""
    row = community_selectors.community_list(user=request.user).get(pk=community.pk)
    row.show_details = True
    row.stewards = [m.user for m in community_selectors.community_stewards(row)]
    return s.CommunityDetailSerializer(row).data


class CommunityDetail(ApiView):
    serializer_class = s.CommunityDetailSerializer

    @extend_schema(
        summary="One community",
        description="404 for a private community the caller is not in.",
        responses={200: s.CommunityDetailSerializer, **errors(404)},
    )
    def get(self, request, slug):
        community, _membership = access.access_community(request.user, slug)
        return Response(_community_detail(request, community))


class CommunityJoin(ApiView):
    serializer_class = s.MembershipSerializer

    @extend_schema(
        summary="Join an open community",
        request=None,
        responses={200: s.MembershipSerializer, **errors(403, 404, 409)},
    )
    def post(self, request, slug):
        membership = check_community_join(acting_user=request.user, community_slug=slug)
        return Response(s.MembershipSerializer(membership).data)


class CommunityLeave(ApiView):
    serializer_class = s.MembershipLeftSerializer

    @extend_schema(
        summary="Leave a community (or withdraw a request to join)",
        request=None,
        responses={200: s.MembershipLeftSerializer, **errors(403, 404, 409)},
    )
    def post(self, request, slug):
        membership = check_community_leave(
            acting_user=request.user, community_slug=slug
        )
        return Response(
            {"community": slug, "status": membership.status if membership else None}
        )


# --- Items ------------------------------------------------------------------------


def _access_item(request, pk: int):
    """The item and the caller's membership, or 404, as on its page."""
    slug = (
        Item.objects.filter(pk=_positive_id(pk))
        .values_list("community__slug", flat=True)
        .first()
    )
    if slug is None:
        raise Http404
    return item_perms.access_item(request.user, slug, pk)


def _item_detail(item):
    return s.ItemDetailSerializer(item).data


class ItemList(ApiView):
    serializer_class = s.ItemSerializer

    @extend_schema(
        summary="Items",
        description="Items the caller may see, newest first.",
        parameters=[
            OpenApiParameter("community", str, description="A community's slug"),
            OpenApiParameter("kind", str, enum=ItemKind.values),
            OpenApiParameter("tag", str),
        ],
        responses={200: s.ItemSerializer(many=True), **errors(400, 404)},
    )
    def get(self, request):
        items = selectors.visible_items(request.user).select_related(
            *selectors.LIST_RELATED
        )
        if slug := _query(request, "community"):
            community, _membership = access.access_community(request.user, slug)
            items = items.filter(community=community)
        if kind := _query(request, "kind", choices=ItemKind.values):
            items = items.filter(kind=kind)
        if tag := _query(request, "tag"):
            items = items.filter(tags__name=tag_normalise(tag))
        page = self.paginate_queryset(items)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Publish an item",
        description="Active members of the community only; not when archived.",
        request=s.ItemWriteSerializer,
        responses={201: s.ItemDetailSerializer, **errors(400, 403, 404)},
    )
    def post(self, request):
        data = _valid(s.ItemWriteSerializer, request)
        slug = data.pop("community")
        item = checks.check_item_create(
            acting_user=request.user, community_slug=slug, **data
        )
        return Response(_item_detail(item), status=status.HTTP_201_CREATED)


def _valid(serializer_class, request, **kwargs) -> dict:
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class ItemDetail(ApiView):
    serializer_class = s.ItemDetailSerializer

    @extend_schema(
        summary="One item",
        responses={200: s.ItemDetailSerializer, **errors(404)},
    )
    def get(self, request, pk):
        item, _membership = _access_item(request, pk)
        return Response(_item_detail(item))

    @extend_schema(
        summary="Edit an item",
        description="Its author, the community's stewards and staff.",
        request=s.ItemUpdateSerializer,
        responses={200: s.ItemDetailSerializer, **errors(400, 403, 404)},
    )
    def put(self, request, pk):
        return self._update(request, pk, partial=False)

    @extend_schema(
        summary="Edit part of an item",
        request=s.ItemUpdateSerializer,
        responses={200: s.ItemDetailSerializer, **errors(400, 403, 404)},
    )
    def patch(self, request, pk):
        return self._update(request, pk, partial=True)

    def _update(self, request, pk, *, partial):
        item, membership = _access_item(request, pk)
        if not item_perms.can_edit_item(request.user, item, membership):
            raise PermissionDenied(_("Only its author or a steward edits this."))
        data = _valid(s.ItemUpdateSerializer, request, partial=partial)
        fields = {
            "kind": item.kind,
            "title": item.title,
            "body": item.body,
            "tags": item.tag_list,
            **data,
        }
        updated = checks.check_item_update(
            acting_user=request.user,
            community_slug=item.community.slug,
            item_id=item.pk,
            **fields,
        )
        updated.refresh_from_db()
        return Response(_item_detail(updated))


class ReplyList(ApiView):
    serializer_class = s.ReplySerializer
    pagination_class = pagination.OldestFirstCursor

    @extend_schema(
        summary="An item's replies",
        description="Oldest first; hidden replies are left out.",
        responses={200: s.ReplySerializer(many=True), **errors(404)},
    )
    def get(self, request, pk):
        item, _membership = _access_item(request, pk)
        replies = item.replies.filter(hidden_at__isnull=True).select_related("author")
        page = self.paginate_queryset(replies)
        for reply in page:
            reply.is_accepted = reply.pk == item.accepted_reply_id
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Reply",
        description="Active members of the item's community.",
        request=s.ReplyWriteSerializer,
        responses={201: s.ReplySerializer, **errors(400, 403, 404)},
    )
    def post(self, request, pk):
        item, _membership = _access_item(request, pk)
        data = _valid(s.ReplyWriteSerializer, request)
        reply = checks.check_reply_create(
            acting_user=request.user,
            community_slug=item.community.slug,
            item_id=item.pk,
            **data,
        )
        reply.is_accepted = False
        return Response(s.ReplySerializer(reply).data, status=status.HTTP_201_CREATED)


# --- Tags and search --------------------------------------------------------------


class TagList(ApiView):
    serializer_class = s.TagSerializer
    pagination_class = None

    @extend_schema(
        summary="Tags",
        description=(
            "Tags starting with `q` that are on an item the caller may see "
            "(at most 20)."
        ),
        parameters=[OpenApiParameter("q", str, required=True)],
        responses={200: s.TagSerializer(many=True), **errors(400)},
    )
    def get(self, request):
        q = _query(request, "q")
        if not q:
            raise ValidationError({"q": [_("Type the start of a tag.")]})
        tags = finder.tags_matching(viewer=request.user, q=q, limit=20)
        return Response(
            [{"name": tag.name, "web_url": f"/tags/{tag.name}/"} for tag in tags]
        )


class Search(ApiView):
    serializer_class = s.SearchPageSerializer
    pagination_class = None
    page_size = 20

    @extend_schema(
        summary="Search items",
        description=(
            "The search page's ranking over what the caller may see; at most "
            "1,000 results (`capped` says more matched), in numbered pages."
        ),
        parameters=[
            OpenApiParameter("q", str),
            OpenApiParameter("community", str),
            OpenApiParameter("kind", str, enum=ItemKind.values),
            OpenApiParameter("tag", str),
            OpenApiParameter("page", int),
        ],
        responses={200: s.SearchPageSerializer, **errors(400, 404)},
    )
    def get(self, request):
        viewer = request.user
        community = None
        if slug := _query(request, "community"):
            community, _membership = access.access_community(viewer, slug)
        q = _query(request, "q")
        results = selectors.search_items(
            viewer=viewer,
            q=q,
            community=community,
            kind=_query(request, "kind", choices=ItemKind.values),
            tag=tag_normalise(_query(request, "tag")),
        )
        number = _page_number(request)
        start = (number - 1) * self.page_size
        ids = results.ids[start : start + self.page_size]
        items = selectors.search_page_items(ids=ids, q=q)
        for item in items:
            item.snippet = str(selectors.search_snippet(item, q))
        more = len(results.ids) > start + self.page_size
        return Response(
            s.SearchPageSerializer(
                {
                    "count": results.count,
                    "capped": results.capped,
                    "page": number,
                    "next_page": number + 1 if more else None,
                    "results": items,
                }
            ).data
        )


def _page_number(request) -> int:
    raw = request.query_params.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= 1000:
        raise ValidationError({"page": [_("A page number from 1 to 1000.")]})
    return int(raw)


# --- Members ----------------------------------------------------------------------


class MemberList(ApiView):
    serializer_class = s.MemberSerializer
    pagination_class = pagination.ByDisplayNameCursor

    @extend_schema(
        summary="The people directory",
        parameters=[
            OpenApiParameter("q", str, description="Words in the name"),
            OpenApiParameter("role", str, enum=LeadershipRole.values),
            OpenApiParameter("expertise", str, description="A tag's slug"),
        ],
        responses={200: s.MemberSerializer(many=True), **errors(400, 404)},
    )
    def get(self, request):
        members = member_selectors.member_directory(
            query=_query(request, "q"),
            role=_query(request, "role", choices=LeadershipRole.values),
            expertise=_query(request, "expertise"),
        )
        page = self.paginate_queryset(members)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class MemberDetail(ApiView):
    serializer_class = s.MemberDetailSerializer

    @extend_schema(
        summary="One member's public profile",
        responses={200: s.MemberDetailSerializer, **errors(404)},
    )
    def get(self, request, username):
        member = member_selectors.member_by_username(username)
        return Response(self.get_serializer(member).data)


# --- Mentoring --------------------------------------------------------------------


class MentoringRequestList(ApiView):
    serializer_class = s.MentoringRequestSerializer

    @extend_schema(
        summary="Mentoring requests",
        description=(
            "The caller's own requests, newest first; `queue=broker` gives "
            "managers the open requests waiting for a match, oldest first."
        ),
        parameters=[OpenApiParameter("queue", str, enum=["mine", "broker"])],
        responses={
            200: s.MentoringRequestSerializer(many=True),
            **errors(400, 403, 404),
        },
    )
    def get(self, request):
        queue = _query(request, "queue", choices=["mine", "broker"]) or "mine"
        if queue == "broker":
            if not mentoring_perms.can_broker(request.user):
                raise PermissionDenied(_("Only managers see the broker queue."))
            self.pagination_class = pagination.OldestFirstCursor
            rows = mentoring_selectors.open_requests().select_related(
                "requested_mentor"
            )
        else:
            rows = mentoring_selectors.requests_of(request.user).select_related(
                "mentee"
            )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Ask for mentoring",
        request=s.MentoringRequestWriteSerializer,
        responses={201: s.MentoringRequestSerializer, **errors(400, 403, 404)},
    )
    def post(self, request):
        data = _valid(s.MentoringRequestWriteSerializer, request)
        slug = data.pop("community")
        community = None
        if slug:
            community, _membership = access.access_community(request.user, slug)
        req = check_request_create(
            acting_user=request.user, community=community, **data
        )
        return Response(
            s.MentoringRequestSerializer(req).data, status=status.HTTP_201_CREATED
        )


class MentoringRequestDetail(ApiView):
    serializer_class = s.MentoringRequestSerializer

    @extend_schema(
        summary="One mentoring request",
        description="Its mentee, managers, staff and a mentor it went to.",
        responses={200: s.MentoringRequestSerializer, **errors(404)},
    )
    def get(self, request, pk):
        req, _pairs = mentoring_perms.access_request(request.user, _positive_id(pk))
        return Response(self.get_serializer(req).data)


class MentoringRequestWithdraw(ApiView):
    serializer_class = s.MentoringRequestSerializer

    @extend_schema(
        summary="Withdraw my mentoring request",
        description="Its mentee, while it is waiting or proposed; again: nothing.",
        request=None,
        responses={200: s.MentoringRequestSerializer, **errors(400, 403, 404)},
    )
    def post(self, request, pk):
        req = check_request_withdraw(
            acting_user=request.user, request_id=_positive_id(pk)
        )
        return Response(self.get_serializer(req).data)


# --- Notifications ----------------------------------------------------------------


class NotificationList(ApiView):
    serializer_class = s.NotificationSerializer

    @extend_schema(
        summary="My notifications",
        parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL)],
        responses={200: s.NotificationSerializer(many=True), **errors(400)},
    )
    def get(self, request):
        unread = _query(request, "unread", choices=["true", "false"])
        rows = notification_selectors.notifications_for(user=request.user)
        if unread == "true":
            rows = rows.filter(read_at__isnull=True)
        page = self.paginate_queryset(rows.select_related("actor"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class NotificationsRead(ApiView):
    serializer_class = s.MarkedSerializer

    @extend_schema(
        summary="Mark my notifications read",
        request=s.NotificationsReadSerializer,
        responses={200: s.MarkedSerializer, **errors(400)},
    )
    def post(self, request):
        data = _valid(s.NotificationsReadSerializer, request)
        marked = notification_services.mark_read(user=request.user, ids=data["ids"])
        return Response({"marked": marked})
