"""release_import: the seed release on an empty database gives the demo content's English
facts; on the demo site it creates nothing; nothing is written when it refuses."""

import datetime
import re
from pathlib import Path

import pytest
from django.db import transaction
from reversion.models import Version

from forum import models
from forum.core import roles
from forum.core.revision_notes import readable
from forum.demo.loader import load_data_file
from forum.releases import ReleaseError
from forum.releases.parser import parse_release
from forum.releases.services import release_import
from tests.factories import user_in
from tests.releases.importing import author, editor, seed_draft

CONTENT = (
    models.Forum,
    models.Edition,
    models.Organisation,
    models.Person,
    models.Session,
    models.SessionRole,
    models.Speech,
    models.Report,
)
CONTENT += (models.Credit, models.MediaContact)


def counts():
    return {model.__name__: model.objects.count() for model in CONTENT}


def paragraphs(html):
    return [re.sub(r"\s+", " ", text).strip() for text in re.findall(r"<p>(.*?)</p>", html, re.S)]


def english_facts():
    """What the seed release states, as stored: the English side of the content."""
    forum = models.Forum.objects.get()
    edition = models.Edition.objects.select_related("host", "organiser", "press_office").get()
    office = edition.press_office
    session = models.Session.objects.get()
    report = models.Report.objects.select_related("publisher", "session").get()
    return {
        "forum": (forum.name_en, forum.short_name_en, forum.background_en),
        "edition": (
            edition.year,
            edition.theme_en,
            edition.venue_en,
            edition.city_en,
            edition.start_date,
            edition.end_date,
            edition.host.name_en,
            edition.host.short_name_en,
            edition.organiser.name_en,
            edition.organiser.short_name_en,
        ),
        "press office": (
            office.name_en,
            office.address_en,
            office.address_zh_hans,
            office.postal_code,
            office.phone,
            office.fax,
            office.fax_extension,
            office.website,
            office.email,
        ),
        "session": (session.title_en, session.kind, session.date, session.part_of_day),
        "roles": [
            (role.person.full_name("en"), role.role, role.printed_titles_en)
            for role in session.roles.all()
        ],
        "people": sorted(
            (person.family_name_en, person.given_name_en, person.uppercase_family_name)
            for person in models.Person.objects.all()
        ),
        "speeches": [
            (speech.speaker.full_name("en"), speech.kind, speech.title_en, speech.printed_title_en)
            for speech in session.speeches.all()
        ],
        "report": (
            report.session.title_en,
            report.publisher.name_en,
            report.include_background,
            [speech.speaker.full_name("en") for speech in report.speeches.all()],
        ),
        "credits": [
            (credit.person.full_name("en"), credit.role) for credit in report.credits.all()
        ],
        "contacts": [
            (c.name_en, c.organisation.short_name_en, c.mobile, c.office_phone, c.office_extension)
            for c in report.media_contacts.order_by("order")
        ],
        "body": paragraphs(report.body_en),
    }


def demo_english_facts():
    """The demo content's English facts, loaded by the demo loader and rolled back."""
    with transaction.atomic():
        load_data_file()
        facts = english_facts()
        transaction.set_rollback(True)
    return facts


# --- The seed on an empty database -----------------------------------------------------------


def test_seed_import_on_empty_database_matches_demo_english_facts(db):
    expected = demo_english_facts()
    assert models.Report.objects.count() == 0

    release_import(draft=seed_draft(), user=editor())

    assert english_facts() == expected


def test_seed_import_creates_draft_report_by_importer(db):
    user = editor()
    result = release_import(draft=seed_draft(), user=user)

    report = models.Report.objects.get()
    assert result.report == report
    assert report.status == models.Report.Status.DRAFT
    assert report.created_by == user
    assert report.headline_en == "Li Wenhai: Digital Empowerment for Industrial Transformation"
    assert report.slug_en == "li-wenhai-digital-empowerment-for-industrial-transformation"
    assert report.slug_zh_hans is None


def test_seed_import_publishes_nothing(db):
    release_import(draft=seed_draft(), user=editor())

    for model in (models.Edition, models.Person, models.Session, models.Speech):
        assert not model.objects.filter(is_published=True).exists(), model
    assert not models.Report.objects.published().exists()
    assert not models.MediaContact.objects.public().exists()


def test_seed_import_keeps_every_contact_detail_private(db):
    release_import(draft=seed_draft(), user=editor())

    for contact in models.MediaContact.objects.all():
        assert contact.public_details() == {}
        assert not (contact.mobile_public or contact.office_phone_public or contact.email_public)


def test_seed_import_leaves_chinese_names_empty(db):
    release_import(draft=seed_draft(), user=editor())

    people = models.Person.objects.order_by("pk")
    assert [person.family_name_zh_hans for person in people] == ["", "", "", ""]
    assert [person.full_name("zh-hans") for person in people] == [
        "Zhang Junkuo",
        "LI Wenhai",
        "Liu Changjie",
        "Cui Keliang",
    ]
    assert set(models.MediaContact.objects.values_list("name_zh_hans", flat=True)) == {""}


def test_seed_import_records_one_revision_with_credits(db):
    release_import(draft=seed_draft(), user=editor())

    report = models.Report.objects.get()
    version = Version.objects.get_for_object(report).get()
    credits = version.revision.version_set.filter(content_type__model="credit")
    assert credits.count() == 2
    assert readable(version.revision.comment) == "Imported from a press release"


# --- The seed on the demo site ---------------------------------------------------------------


def test_seed_reimport_on_demo_creates_nothing(demo):
    before = counts()
    demo_report = models.Report.objects.get()

    result = release_import(draft=seed_draft(), user=editor())

    assert counts() == before
    assert result.created == []
    assert result.report == demo_report


def test_seed_reimport_on_demo_lists_differences_without_applying_them(demo):
    speech = models.Speech.objects.get()
    speech.printed_title_en = "Vice Mayor of Tianjin"
    speech.save()

    result = release_import(draft=seed_draft(), user=editor())

    differences = {
        (item.kind, item.label): [(d.field, d.current, d.parsed) for d in item.differences]
        for item in result.plan.items()
        if item.differences
    }
    assert differences == {
        ("Speech", "Li Wenhai"): [
            (
                "speaker's title as printed",
                "Vice Mayor of Tianjin",
                "Vice Mayor, the People's Government of Tianjin Municipality",
            )
        ],
        ("Report", "Li Wenhai: Digital Empowerment for Industrial Transformation"): [
            (
                "headline",
                "Li Wenhai: Digital empowerment is accelerating industrial transformation",
                "Li Wenhai: Digital Empowerment for Industrial Transformation",
            )
        ],
    }
    assert models.Speech.objects.get().printed_title_en == "Vice Mayor of Tianjin"


def test_seed_reimport_fills_forum_background_only_when_empty(demo):
    forum = models.Forum.objects.get()
    forum.background_en = ""
    forum.save()

    release_import(draft=seed_draft(), user=editor())

    assert models.Forum.objects.get().background_en.startswith("Under the mandate 'Engaging")
    assert models.Forum.objects.get().background_zh_hans.startswith("中国发展高层论坛秉持")


# --- Refusals and dry runs -------------------------------------------------------------------


def test_dry_run_writes_nothing(db):
    result = release_import(draft=seed_draft(), user=editor(), dry_run=True)

    assert set(counts().values()) == {0}
    assert result.report is None
    assert len(result.plan.to_create()) == 21


@pytest.mark.parametrize(
    ("part", "key", "message"),
    [
        ("session", "title", "The release names no session"),
        ("report", "body", "The release has no report text"),
    ],
)
def test_import_without_essentials_is_refused_with_nothing_written(db, part, key, message):
    draft = seed_draft()
    draft[part][key] = ""

    with pytest.raises(ReleaseError, match=message):
        release_import(draft=draft, user=editor())

    assert set(counts().values()) == {0}


def test_import_by_press_officer_is_refused(db):
    with pytest.raises(ReleaseError, match="creates a report"):
        release_import(draft=seed_draft(), user=user_in(roles.PRESS_OFFICERS))

    assert set(counts().values()) == {0}


def test_import_of_session_outside_its_edition_is_refused_with_nothing_written(db):
    draft = seed_draft()
    draft["session"]["date"] = "2024-04-01"

    with pytest.raises(ReleaseError, match="The date must fall within the edition"):
        release_import(draft=draft, user=editor())

    assert set(counts().values()) == {0}


# --- Other releases --------------------------------------------------------------------------


def two_speakers_two_authors():
    """The seed as if a second keynote speaker had spoken and a second author written."""
    draft = seed_draft()
    second = {
        "speaker": {
            "name": "CHEN Lan",
            "family_name": "Chen",
            "given_name": "Lan",
            "uppercase_family_name": True,
            "title": "President",
            "organisation": "Tianjin University",
        },
        "kind": "keynote",
    }
    draft["speeches"].append(second)
    draft["report"]["credits"].insert(1, {"name": "Wang Fang", "role": "author"})
    draft["report"]["authors"].append("Wang Fang")
    return draft


def test_import_with_two_speakers_and_two_authors_keeps_their_order(db):
    release_import(draft=two_speakers_two_authors(), user=editor())

    session = models.Session.objects.get()
    assert [
        (speech.speaker.full_name("en"), speech.printed_title_en, speech.order)
        for speech in session.speeches.all()
    ] == [
        ("LI Wenhai", "Vice Mayor, the People's Government of Tianjin Municipality", 1),
        ("CHEN Lan", "President, Tianjin University", 2),
    ]
    report = models.Report.objects.get()
    assert [(c.person.full_name("en"), c.role) for c in report.credits.all()] == [
        ("Liu Changjie", "author"),
        ("Wang Fang", "author"),
        ("Cui Keliang", "reviewer"),
    ]
    assert report.speeches.count() == 2


def test_import_on_demo_of_new_speaker_adds_speech_to_existing_session(demo):
    before = counts()
    draft = two_speakers_two_authors()

    result = release_import(draft=draft, user=editor())

    created = sorted(item.kind for item in result.created)
    assert created == ["Person", "Person", "Speech"]
    assert counts()["Speech"] == before["Speech"] + 1
    assert models.Speech.objects.get(speaker__family_name_en="Chen").is_published is False
    assert models.Credit.objects.count() == before["Credit"]  # the report exists: no new credit
    assert models.Report.objects.get().speeches.count() == 1
    credit = next(item for item in result.plan.credits if item.label.startswith("Wang Fang"))
    assert credit.action == "skip"


def test_import_of_new_session_reuses_demo_people_and_edition(demo):
    draft = seed_draft()
    draft["session"]["title"] = "Symposium on Green Growth"
    draft["session"]["date"] = "2024-03-24"
    draft["report"]["headline"] = "Li Wenhai: Green growth"

    result = release_import(draft=draft, user=editor())

    edition = models.Edition.objects.get()
    session = models.Session.objects.get(title_en="Symposium on Green Growth")
    assert (session.edition, session.date, session.is_published) == (
        edition,
        datetime.date(2024, 3, 24),
        False,
    )
    assert models.Person.objects.count() == 4
    assert [role.person.slug for role in session.roles.all()] == ["zhang-junkuo"]
    report = result.report
    assert (report.session, report.status) == (session, models.Report.Status.DRAFT)
    assert list(report.media_contacts.order_by("order")) == list(models.MediaContact.objects.all())
    assert models.MediaContact.objects.count() == 5


def test_release_of_next_edition_with_three_speakers_on_demo(demo):
    text = (Path(__file__).with_name("releases") / "several_speakers.txt").read_text()
    organisations = models.Organisation.objects.count()

    result = release_import(draft=parse_release(text), user=editor())

    edition = models.Edition.objects.get(year=2025)
    assert (edition.forum, edition.is_published) == (models.Forum.objects.get(), False)
    assert edition.organiser.short_name_en == "CDRF"
    assert models.Organisation.objects.count() == organisations
    session = result.report.session
    assert (session.edition, session.kind, session.title_en) == (
        edition,
        "roundtable",
        "Roundtable on Global Supply Chains",
    )
    assert [s.speaker.full_name("en") for s in session.speeches.all()] == [
        "WANG Lihua",
        "Anna SCHMIDT",
        "ZHAO Ming",
    ]
    assert [(c.person.full_name("en"), c.role) for c in result.report.credits.all()] == [
        ("Chen Yu", "author"),
        ("Lin Hai", "author"),
        ("Ma Jing", "author"),
        ("Song Wen", "reviewer"),
        ("Hu Lan", "reviewer"),
    ]
    guo = models.MediaContact.objects.get(name_en="Guo Silu")
    assert guo in result.report.media_contacts.all()
    assert models.MediaContact.objects.count() == 5


# --- What an author's import may create ------------------------------------------------------


def test_author_import_on_empty_database_is_refused_with_nothing_written(db):
    """Editions and sessions are programme data: an author's release needs them to exist."""
    with pytest.raises(ReleaseError, match="your role may not add it") as refused:
        release_import(draft=seed_draft(), user=author())

    assert "Symposium on Digital Empowerment" in str(refused.value)
    assert set(counts().values()) == {0}


def test_author_import_creates_the_report_but_no_speech_or_media_contact(demo):
    models.Report.objects.all().delete()  # the release has just arrived
    before = counts()
    draft = two_speakers_two_authors()
    draft["media_contacts"].append({"name": "Zhou Ming", "mobile": "+8613700001234"})

    result = release_import(draft=draft, user=author())

    created = sorted(item.kind for item in result.created)
    assert created == ["Credit", "Credit", "Credit", "Person", "Person", "Report"]
    assert counts() == {
        **before,
        "Person": before["Person"] + 2,
        "Report": 1,
        "Credit": before["Credit"] + 3,
    }
    report = models.Report.objects.get()
    assert list(report.speeches.all()) == [models.Speech.objects.get()]  # the existing one
    assert not report.media_contacts.exists()
    speech = next(item for item in result.plan.speeches if item.label == "CHEN Lan")
    assert speech.action == "left"
    assert {item.action for item in result.plan.media_contacts} == {"press_office"}


def test_author_import_fills_no_forum_background(demo):
    models.Report.objects.all().delete()
    forum = models.Forum.objects.get()
    forum.background_en = ""
    forum.save()

    release_import(draft=seed_draft(), user=author())

    forum.refresh_from_db()
    assert forum.background_en == ""
