"""The shapes the API reads and writes. Output shapes show only what the
pages show to the same viewer; input shapes mirror the pages' forms (same
limits, same tag vocabulary) and never touch the database themselves."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from communities.models import Community, Membership
from knowledge.models import Item, ItemKind, Reply
from members.models import LeadershipRole, User
from members.tags import MAX_TAG_LENGTH, MAX_TAGS, tags_parse
from mentoring.models import Format, MentoringRequest


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(required=False)


class MemberSummarySerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField()


class MemberSerializer(serializers.Serializer):
    """A profile's public fields: no e-mail, no settings."""

    username = serializers.CharField()
    display_name = serializers.CharField()
    job_title = serializers.CharField()
    business_unit = serializers.CharField()
    location = serializers.CharField()
    leadership_role = serializers.ChoiceField(choices=LeadershipRole.choices)
    expertise = serializers.SerializerMethodField()
    web_url = serializers.CharField(source="get_absolute_url")

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_expertise(self, member: User):
        return sorted(tag.name for tag in member.expertise.all())


class MemberDetailSerializer(MemberSerializer):
    bio_html = serializers.CharField()
    interests = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_interests(self, member: User):
        return sorted(tag.name for tag in member.interests.all())


# --- Communities ------------------------------------------------------------------


class CommunityInsideSerializer(serializers.Serializer):
    """What only those who may look inside a community see."""

    size = serializers.IntegerField()
    last_activity_at = serializers.DateTimeField()
    tags = serializers.ListField(child=serializers.CharField())


class CommunitySerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    purpose = serializers.CharField()
    is_private = serializers.BooleanField()
    is_archived = serializers.BooleanField()
    my_status = serializers.ChoiceField(
        choices=Membership.Status.choices, allow_null=True
    )
    web_url = serializers.CharField(source="get_absolute_url")
    inside = serializers.SerializerMethodField(
        help_text=_(
            "Size, activity and topics; null for a private community "
            "the caller is not in."
        )
    )

    @extend_schema_field(CommunityInsideSerializer(allow_null=True))
    def get_inside(self, community: Community):
        if not getattr(community, "show_details", False):
            return None
        return {
            "size": community.size,
            "last_activity_at": community.last_activity_at,
            "tags": sorted(tag.name for tag in community.tags.all()),
        }


class CommunityDetailSerializer(CommunitySerializer):
    description_html = serializers.CharField()
    stewards = MemberSummarySerializer(many=True)


class MembershipSerializer(serializers.Serializer):
    community = serializers.CharField(source="community.slug")
    status = serializers.ChoiceField(choices=Membership.Status.choices)
    role = serializers.ChoiceField(choices=Membership.Role.choices)


class MembershipLeftSerializer(serializers.Serializer):
    community = serializers.CharField()
    status = serializers.ChoiceField(choices=Membership.Status.choices, allow_null=True)


# --- Items and replies ------------------------------------------------------------


class CommunityRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class ItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    community = CommunityRefSerializer()
    kind = serializers.ChoiceField(choices=ItemKind.choices)
    title = serializers.CharField()
    author = MemberSummarySerializer()
    tags = serializers.ListField(child=serializers.CharField(), source="tag_list")
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)
    last_activity_at = serializers.DateTimeField()
    reply_count = serializers.IntegerField()
    helpful_count = serializers.IntegerField()
    is_answered = serializers.SerializerMethodField()
    web_url = serializers.CharField(source="get_absolute_url")

    def get_is_answered(self, item: Item) -> bool:
        return item.accepted_reply_id is not None


class ItemDetailSerializer(ItemSerializer):
    body = serializers.CharField(help_text=_("Markdown, as written."))
    body_html = serializers.CharField(help_text=_("Rendered and sanitised."))
    accepted_reply = serializers.IntegerField(
        source="accepted_reply_id", allow_null=True
    )
    is_hidden = serializers.BooleanField()


def _tags_from_list(names: list[str]) -> list[str]:
    """The page forms' vocabulary and limits (members.tags)."""
    try:
        return tags_parse(", ".join(names))
    except DjangoValidationError as exc:
        raise serializers.ValidationError(exc.messages) from None


class ItemWriteSerializer(serializers.Serializer):
    community = serializers.SlugField(
        max_length=140, help_text=_("The community's address (slug).")
    )
    kind = serializers.ChoiceField(choices=ItemKind.choices)
    title = serializers.CharField(max_length=Item._meta.get_field("title").max_length)
    body = serializers.CharField(max_length=Item._meta.get_field("body").max_length)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=MAX_TAG_LENGTH),
        max_length=MAX_TAGS,
        required=False,
        default=list,
    )
    submission_token = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Optional: the same token twice publishes once."),
    )

    def validate_tags(self, value):
        return _tags_from_list(value)


class ItemUpdateSerializer(ItemWriteSerializer):
    community = None
    submission_token = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.partial:
            for field in self.fields.values():
                field.required = False


class ReplySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = MemberSummarySerializer()
    body_html = serializers.CharField()
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)
    is_accepted = serializers.BooleanField()


class ReplyWriteSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=Reply._meta.get_field("body").max_length)
    submission_token = serializers.UUIDField(
        required=False, allow_null=True, default=None
    )


class TagSerializer(serializers.Serializer):
    name = serializers.CharField()
    web_url = serializers.CharField()


class SearchResultSerializer(ItemSerializer):
    snippet = serializers.CharField(help_text=_("HTML; matches in <mark>."))


class SearchPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    capped = serializers.BooleanField()
    page = serializers.IntegerField()
    next_page = serializers.IntegerField(allow_null=True)
    results = SearchResultSerializer(many=True)


# --- Mentoring and notifications ------------------------------------------------


class MentoringRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    mentee = MemberSummarySerializer()
    status = serializers.ChoiceField(choices=MentoringRequest.Status.choices)
    format = serializers.ChoiceField(choices=Format.choices)
    goals = serializers.CharField()
    topics = serializers.SerializerMethodField()
    community = CommunityRefSerializer(allow_null=True)
    requested_mentor = MemberSummarySerializer(allow_null=True)
    created_at = serializers.DateTimeField()
    web_url = serializers.CharField(source="get_absolute_url")

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_topics(self, req: MentoringRequest):
        return sorted(tag.name for tag in req.topics.all())


class MentoringRequestWriteSerializer(serializers.Serializer):
    topics = serializers.ListField(
        child=serializers.CharField(max_length=MAX_TAG_LENGTH),
        min_length=1,
        max_length=MAX_TAGS,
    )
    goals = serializers.CharField(
        max_length=MentoringRequest._meta.get_field("goals").max_length
    )
    format = serializers.ChoiceField(choices=Format.choices, default=Format.MENTORING)
    community = serializers.SlugField(
        max_length=140,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Optional: a community you are an active member of."),
    )

    def validate_topics(self, value):
        topics = _tags_from_list(value)
        if not topics:
            raise serializers.ValidationError(_("Name at least one topic."))
        return topics


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    message = serializers.CharField()
    url = serializers.CharField()
    actor = MemberSummarySerializer(allow_null=True)
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)


class NotificationsReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        allow_null=True,
        default=None,
        max_length=1000,
        help_text=_("Which to mark read; leave out to mark them all."),
    )


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()
