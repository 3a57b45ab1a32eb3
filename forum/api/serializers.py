"""Serializers of the public API. Every text comes in both languages:
`"title": {"<language code>": "…", …}`, null where a language has no text.
"""

from django.urls import reverse
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from forum import models
from forum.core import images, languages
from forum.programme.schedule import session_period
from forum.reports import byline

TRANSLATED_SCHEMA = {
    "type": "object",
    "properties": {code: {"type": "string", "nullable": True} for code in languages.CODES},
    "required": list(languages.CODES),
    "example": languages.keyed("Digital empowerment", "数字化赋能"),
}


def _absolute(serializer, path):
    request = serializer.context.get("request")
    if not path:
        return None
    return request.build_absolute_uri(path) if request else path


@extend_schema_field({"type": "string", "format": "uri", "nullable": True})
class ImageURLField(serializers.Field):
    """The absolute address of the image's largest rendition (never the upload itself);
    null when there is none or its owner is not public."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, image):
        return _absolute(self.parent, images.public_url(image))


@extend_schema_field(TRANSLATED_SCHEMA)
class TranslatedField(serializers.Field):
    """A translated model field's columns as {language: text}."""

    def __init__(self, field=None, **kwargs):
        self.translated = field
        super().__init__(source="*", read_only=True, **kwargs)

    def languages(self, obj):
        return languages.CODES

    def to_representation(self, obj):
        field = self.translated or self.field_name
        available = self.languages(obj)
        return {
            code: (getattr(obj, languages.column(field, code)) or None)
            if code in available
            else None
            for code in languages.CODES
        }


class ReportTextField(TranslatedField):
    """Only the languages in which the report is published."""

    def languages(self, report):
        return report.available_languages()


@extend_schema_field(TRANSLATED_SCHEMA)
class PerLanguageField(serializers.Field):
    """{language: value} from a function called with each language active."""

    def __init__(self, function, absolute=False, **kwargs):
        self.function = function
        self.absolute = absolute
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        values = {}
        for code in languages.CODES:
            with translation.override(code):
                value = self.function(obj, code)
            values[code] = (_absolute(self.parent, value) if self.absolute else value) or None
        return values


def _page_url(obj, code):
    if isinstance(obj, models.Report) and code not in obj.available_languages():
        return None
    return obj.get_absolute_url()


class OrganisationSerializer(serializers.ModelSerializer):
    name = TranslatedField()
    short_name = TranslatedField()

    class Meta:
        model = models.Organisation
        fields = ("name", "short_name", "website")


class PersonReferenceSerializer(serializers.ModelSerializer):
    name = PerLanguageField(lambda person, code: person.full_name(code))

    class Meta:
        model = models.Person
        fields = ("slug", "name")


class EditionSerializer(serializers.ModelSerializer):
    title = PerLanguageField(lambda edition, code: edition.title)
    theme = TranslatedField()
    summary = TranslatedField()
    venue = TranslatedField()
    city = TranslatedField()
    host = OrganisationSerializer(read_only=True, allow_null=True)
    organiser = OrganisationSerializer(read_only=True, allow_null=True)
    url = PerLanguageField(_page_url, absolute=True)
    calendar_url = PerLanguageField(
        lambda edition, code: reverse("forum:edition-calendar", kwargs={"edition": edition.slug}),
        absolute=True,
    )

    class Meta:
        model = models.Edition
        fields = (
            "slug",
            "year",
            "title",
            "theme",
            "summary",
            "start_date",
            "end_date",
            "venue",
            "city",
            "host",
            "organiser",
            "url",
            "calendar_url",
        )


class SessionRoleSerializer(serializers.ModelSerializer):
    person = PersonReferenceSerializer(read_only=True)
    printed_titles = TranslatedField()

    class Meta:
        model = models.SessionRole
        fields = ("role", "person", "printed_titles")


@extend_schema_field(
    {
        "type": "string",
        "nullable": True,
        "pattern": "^[0-2][0-9]:[0-5][0-9]:[0-5][0-9](\\.[0-9]+)?$",
        "example": "14:00:00",
        "description": "Where the session is held, without an offset (starts_at and ends_at "
        "carry it).",
    }
)
class LocalTimeField(serializers.TimeField):
    """A time of day where the session is held: not an RFC 3339 time, which has an offset."""


class SessionSerializer(serializers.ModelSerializer):
    edition = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    start_time = LocalTimeField(read_only=True, allow_null=True)
    end_time = LocalTimeField(read_only=True, allow_null=True)
    title = TranslatedField()
    summary = TranslatedField()
    venue = TranslatedField()
    room = TranslatedField()
    starts_at = serializers.SerializerMethodField()
    ends_at = serializers.SerializerMethodField()
    roles = SessionRoleSerializer(many=True, read_only=True)
    url = PerLanguageField(_page_url, absolute=True)
    calendar_url = PerLanguageField(
        lambda session, code: reverse(
            "forum:session-calendar",
            kwargs={"edition": session.edition.slug, "slug": session.slug},
        ),
        absolute=True,
    )

    class Meta:
        model = models.Session
        fields = (
            "id",
            "edition",
            "slug",
            "kind",
            "title",
            "summary",
            "date",
            "part_of_day",
            "start_time",
            "end_time",
            "starts_at",
            "ends_at",
            "venue",
            "room",
            "roles",
            "url",
            "calendar_url",
        )

    @extend_schema_field(OpenApiTypes.STR)
    def get_starts_at(self, session):
        """Beijing time (+08:00); a date alone when no start time is known (an all-day
        session, or one given only a part of day: no hours are made up for it)."""
        return session_period(session).start.isoformat()

    @extend_schema_field({"type": "string", "nullable": True})
    def get_ends_at(self, session):
        end = session_period(session).end
        return end.isoformat() if end else None


class SpeechSerializer(serializers.ModelSerializer):
    edition = serializers.SerializerMethodField()
    speaker = PersonReferenceSerializer(read_only=True)
    title = TranslatedField()
    printed_title = TranslatedField()
    url = PerLanguageField(_page_url, absolute=True)

    class Meta:
        model = models.Speech
        fields = ("id", "session", "edition", "kind", "title", "speaker", "printed_title", "url")

    @extend_schema_field(OpenApiTypes.STR)
    def get_edition(self, speech):
        return speech.session.edition.slug


class PositionSerializer(serializers.ModelSerializer):
    title = TranslatedField()
    organisation = OrganisationSerializer(read_only=True, allow_null=True)
    label = PerLanguageField(
        lambda position, code: position.label(code),
        help_text="The title at the organisation as the pages print it in each language: "
        '"Chairman, China Development Research Foundation"; 中国发展研究基金会理事长. A title '
        "missing in a language is given as written in another.",
    )

    class Meta:
        model = models.Position
        fields = ("title", "organisation", "start_date", "end_date", "label")


class PersonSerializer(serializers.ModelSerializer):
    name = PerLanguageField(lambda person, code: person.full_name(code))
    family_name = TranslatedField()
    given_name = TranslatedField()
    honorific = TranslatedField()
    biography = TranslatedField()
    photo = ImageURLField()
    positions = PositionSerializer(many=True, read_only=True)
    url = PerLanguageField(_page_url, absolute=True)

    class Meta:
        model = models.Person
        fields = (
            "slug",
            "name",
            "family_name",
            "given_name",
            "honorific",
            "biography",
            "photo",
            "positions",
            "url",
        )


class ReportSerializer(serializers.ModelSerializer):
    edition = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    languages = serializers.SerializerMethodField()
    slug = ReportTextField()
    headline = ReportTextField()
    summary = ReportTextField()
    body = ReportTextField(help_text="Sanitised HTML.")
    image = ImageURLField(source="hero_image")
    image_description = ReportTextField("hero_image_alt")
    updated_at = serializers.SerializerMethodField()
    byline = serializers.SerializerMethodField()
    publisher = OrganisationSerializer(read_only=True, allow_null=True)
    url = PerLanguageField(_page_url, absolute=True)

    class Meta:
        model = models.Report
        fields = (
            "id",
            "edition",
            "session",
            "speeches",
            "languages",
            "original_language",
            "slug",
            "headline",
            "summary",
            "body",
            "image",
            "image_description",
            "published_at",
            "updated_at",
            "byline",
            "publisher",
            "url",
        )

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_languages(self, report):
        return report.available_languages()

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_updated_at(self, report):
        return serializers.DateTimeField().to_representation(
            report.live_updated_at or report.updated_at
        )

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "label": TRANSLATED_SCHEMA,
                    "people": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                # null for a person whose page is not public (yet)
                                "slug": {"type": "string", "nullable": True},
                                "name": TRANSLATED_SCHEMA,
                            },
                        },
                    },
                },
            },
        }
    )
    def get_byline(self, report):
        """The byline as published (frozen at publication), e.g. Authors / 撰稿."""
        return [
            {
                "label": {
                    code: entry.get(languages.column("label", code)) for code in languages.CODES
                },
                "people": [
                    {
                        "slug": person.get("slug"),
                        "name": {
                            code: person.get(languages.column("name", code)) or None
                            for code in languages.CODES
                        },
                    }
                    for person in entry["people"]
                ],
            }
            for entry in byline.entries(report)
        ]


class PublicDetail(serializers.Field):
    """One detail of a media contact as public_details() releases it; null when private."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, contact):
        return self.parent.public_details.get(self.field_name)


@extend_schema_field({"type": "string", "nullable": True, "description": "E.164"})
class PhoneDetail(PublicDetail):
    pass


@extend_schema_field({"type": "string", "nullable": True})
class TextDetail(PublicDetail):
    pass


@extend_schema_field({"type": "string", "nullable": True, "format": "email"})
class EmailDetail(PublicDetail):
    pass


def _translated(details, prefix):
    return {code: details.get(languages.column(prefix, code)) for code in languages.CODES}


@extend_schema_field(TRANSLATED_SCHEMA)
class TranslatedDetail(PublicDetail):
    def to_representation(self, contact):
        return _translated(self.parent.public_details, self.field_name)


@extend_schema_field(
    {"type": "object", "nullable": True, "properties": {"name": TRANSLATED_SCHEMA}}
)
class OrganisationDetail(PublicDetail):
    def to_representation(self, contact):
        organisation = self.parent.public_details.get("organisation")
        return {"name": _translated(organisation, "name")} if organisation else None


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class LanguagesDetail(PublicDetail):
    def to_representation(self, contact):
        return self.parent.public_details.get("languages", [])


class MediaContactSerializer(serializers.ModelSerializer):
    """Only what MediaContact.public_details() releases; null for every other detail."""

    name = TranslatedDetail()
    job_title = TranslatedDetail()
    organisation = OrganisationDetail()
    hours = TranslatedDetail()
    mobile = PhoneDetail()
    office_phone = PhoneDetail()
    office_extension = TextDetail()
    fax = PhoneDetail()
    email = EmailDetail()
    languages = LanguagesDetail()

    class Meta:
        model = models.MediaContact
        fields = (
            "id",
            "name",
            "job_title",
            "organisation",
            "mobile",
            "office_phone",
            "office_extension",
            "fax",
            "email",
            "languages",
            "hours",
        )

    def to_representation(self, contact):
        self.public_details = contact.public_details()
        return super().to_representation(contact)
