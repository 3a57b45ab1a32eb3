"""factory_boy factories for every forum model; translated fields are set in both languages."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from forum.models import (
    Credit,
    Edition,
    Forum,
    ImportedRecord,
    MediaContact,
    Organisation,
    Person,
    Position,
    Report,
    Session,
    SessionRole,
    Speech,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct-horse-battery")

    class Params:
        superuser = factory.Trait(is_staff=True, is_superuser=True)


def user_in(role, **fields):
    """A staff member in one of the roles (forum/core/roles.py: its group's name): how every
    test makes an author, a translator, a reviewer, an editor or a press officer."""
    user = UserFactory(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=role))
    return user


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name_en = factory.Sequence(lambda n: f"Organisation {n}")
    name_zh_hans = factory.Sequence(lambda n: f"机构{n}")
    short_name_en = ""
    short_name_zh_hans = ""
    kind = Organisation.Kind.OTHER


class ForumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forum

    name_en = "China Development Forum"
    name_zh_hans = "中国发展高层论坛"
    short_name_en = "CDF"
    short_name_zh_hans = "发展论坛"
    background_en = "Background of the forum."
    background_zh_hans = "论坛背景。"
    first_year = 2000
    slug = factory.Sequence(lambda n: f"forum-{n}")


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition

    forum = factory.SubFactory(ForumFactory)
    year = factory.Sequence(lambda n: 2100 + n)
    slug = factory.LazyAttribute(lambda edition: str(edition.year))
    theme_en = "A theme"
    theme_zh_hans = "主题"
    summary_en = "An edition summary."
    summary_zh_hans = "年会简介。"
    venue_en = "A State Guesthouse"
    venue_zh_hans = "国宾馆"
    city_en = "Beijing"
    city_zh_hans = "北京"
    start_date = factory.LazyAttribute(lambda edition: datetime.date(edition.year, 3, 24))
    end_date = factory.LazyAttribute(lambda edition: datetime.date(edition.year, 3, 25))
    is_published = True


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    family_name_en = "Wang"
    family_name_zh_hans = "王"
    given_name_en = factory.Sequence(lambda n: f"Ming{n}")
    given_name_zh_hans = "明"
    biography_en = "A biography."
    biography_zh_hans = "简介。"
    slug = factory.Sequence(lambda n: f"person-{n}")
    is_published = True


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    person = factory.SubFactory(PersonFactory)
    title_en = "Director"
    title_zh_hans = "主任"
    organisation = factory.SubFactory(OrganisationFactory)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    edition = factory.SubFactory(EditionFactory)
    title_en = factory.Sequence(lambda n: f"Symposium {n}")
    title_zh_hans = factory.Sequence(lambda n: f"专题研讨会{n}")
    summary_en = "A session summary."
    summary_zh_hans = "会议简介。"
    slug = factory.Sequence(lambda n: f"session-{n}")
    date = factory.LazyAttribute(lambda session: session.edition.start_date)
    part_of_day = Session.PartOfDay.AFTERNOON
    is_published = True


class SessionRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionRole

    session = factory.SubFactory(SessionFactory)
    person = factory.SubFactory(PersonFactory)
    role = SessionRole.Role.PRESIDER
    printed_titles_en = "Chairman, A Foundation"
    printed_titles_zh_hans = "某基金会理事长"


class SpeechFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speech

    session = factory.SubFactory(SessionFactory)
    speaker = factory.SubFactory(PersonFactory)
    kind = Speech.Kind.KEYNOTE
    title_en = "A keynote"
    title_zh_hans = "主旨演讲"
    printed_title_en = "Vice Mayor"
    printed_title_zh_hans = "副市长"
    is_published = True


class ReportFactory(factory.django.DjangoModelFactory):
    """A published report (published yesterday) unless status/published_at say otherwise."""

    class Meta:
        model = Report

    edition = factory.SubFactory(EditionFactory)
    headline_en = factory.Sequence(lambda n: f"Report headline {n}")
    headline_zh_hans = factory.Sequence(lambda n: f"报道标题{n}")
    slug_en = factory.Sequence(lambda n: f"report-{n}")
    slug_zh_hans = factory.Sequence(lambda n: f"baodao-{n}")
    summary_en = "A summary."
    summary_zh_hans = "摘要。"
    body_en = "<p>The body.</p>"
    body_zh_hans = "<p>正文。</p>"
    status = Report.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))


class CreditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Credit

    report = factory.SubFactory(ReportFactory)
    person = factory.SubFactory(PersonFactory)
    role = Credit.Role.AUTHOR
    order = factory.Sequence(lambda n: n)


class MediaContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MediaContact

    name_en = factory.Sequence(lambda n: f"Contact {n}")
    name_zh_hans = factory.Sequence(lambda n: f"联系人{n}")
    job_title_en = "Press officer"
    job_title_zh_hans = "新闻官"
    organisation = factory.SubFactory(OrganisationFactory)
    mobile = factory.Sequence(lambda n: f"+86186{n % 100_000_000:08d}")
    office_phone = "+861064255855"
    # 7000–7999: never one of the seed's extensions (8014 … 8223), which the press tests load.
    office_extension = factory.Sequence(lambda n: f"{7000 + n % 1000}")
    # Listed like the seed's contacts: public, with public phone numbers. A new contact
    # made in the admin or an import is private in every detail (the model's defaults).
    is_public = True
    mobile_public = True
    office_phone_public = True


class ImportedRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportedRecord
        exclude = ("content_object",)

    content_object = factory.SubFactory(OrganisationFactory)
    source = "test"
    key = factory.Sequence(lambda n: f"key-{n}")
    content_type = factory.LazyAttribute(
        lambda record: ContentType.objects.get_for_model(record.content_object)
    )
    object_id = factory.LazyAttribute(lambda record: record.content_object.pk)
    source_checksum = "0" * 64
    row_checksum = "0" * 64


def person_with_two_positions(**person_fields):
    """Zhang Junkuo as the seed names him: two positions, each at an organisation (the
    titles' order in each language is tested on him)."""
    person = PersonFactory(
        family_name_en="Zhang",
        given_name_en="Junkuo",
        family_name_zh_hans="张",
        given_name_zh_hans="军扩",
        **person_fields,
    )
    cdrf = OrganisationFactory(
        name_en="China Development Research Foundation", name_zh_hans="中国发展研究基金会"
    )
    committee = OrganisationFactory(
        name_en="Committee on Proposals, the 14th CPPCC National Committee",
        name_zh_hans="第十四届全国政协提案委员会",
    )
    PositionFactory(
        person=person, title_en="Chairman", title_zh_hans="理事长", organisation=cdrf, order=1
    )
    PositionFactory(
        person=person,
        title_en="Deputy Director",
        title_zh_hans="副主任",
        organisation=committee,
        order=2,
    )
    return person
