import datetime
import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.db.models import DateTimeField
from django.utils import translation

from forum.demo.loader import DEMO_FILE
from forum.models import (
    Credit,
    Edition,
    Forum,
    MediaContact,
    Organisation,
    Person,
    Report,
    Session,
    SessionRole,
    Speech,
)

pytestmark = pytest.mark.django_db

# The seed's media contacts, as printed: name mobile/office-extension. Their names are
# known only in Latin letters: they have no Chinese name (see cdf2024.toml).
SEED_CONTACTS = [
    ("Guo Silu", "18666028168", "64255855", "8014"),
    ("Shi Yafan", "13810361966", "64255855", "8223"),
    ("Xia Tian", "18801375838", "64255855", "8086"),
    ("Shi Wanjing", "18801090391", "64255855", "8090"),
    ("Qiu Kaixian", "18301078627", "64255855", "8103"),
]
# People the seed names only in Latin letters, with no documented Chinese name.
PINYIN_ONLY_PEOPLE = ("liu-changjie", "cui-keliang")


def load(*args):
    call_command("load_demo_content", *args, stdout=io.StringIO())


def row_counts():
    """Rows of every forum model and of the many-to-many link tables."""
    counts = {}
    for model in apps.get_app_config("forum").get_models():
        counts[model.__name__] = model.objects.count()
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            counts[through.__name__] = through.objects.count()
    return counts


def updated_stamps():
    stamps = {}
    for model in apps.get_app_config("forum").get_models():
        if any(field.name == "updated_at" for field in model._meta.fields):
            for pk, updated_at in model.objects.values_list("pk", "updated_at"):
                stamps[(model.__name__, pk)] = updated_at
    return stamps


def the_report():
    return Report.objects.get(slug_en="li-wenhai-digital-empowerment-industrial-transformation")


# --- What the seed puts in the database -------------------------------------------------


def test_demo_creates_one_forum(demo):
    forum = Forum.objects.get()
    assert (forum.name_en, forum.name_zh_hans) == ("China Development Forum", "中国发展高层论坛")


def test_demo_creates_edition_2024_with_seed_dates(demo):
    edition = Edition.objects.get()
    assert edition.year == 2024
    assert (edition.start_date, edition.end_date) == (
        datetime.date(2024, 3, 24),
        datetime.date(2024, 3, 25),
    )
    assert edition.is_published


def test_demo_edition_hosted_by_drc_organised_by_cdrf(demo):
    edition = Edition.objects.select_related("host", "organiser").get()
    assert edition.host.short_name_en == "DRC"
    assert edition.host.name_en == "Development Research Centre of the State Council"
    assert edition.organiser.short_name_en == "CDRF"
    assert edition.organiser.name_zh_hans == "中国发展研究基金会"


def test_demo_edition_venue_in_both_languages(demo):
    edition = Edition.objects.get()
    assert (edition.venue_en, edition.venue_zh_hans) == (
        "Diaoyutai State Guesthouse",
        "钓鱼台国宾馆",
    )


def test_demo_creates_one_afternoon_session_on_march_25(demo):
    session = Session.objects.get()
    assert session.date == datetime.date(2024, 3, 25)
    assert session.part_of_day == Session.PartOfDay.AFTERNOON
    assert session.title_en == "Symposium on Digital Empowerment for Industrial Transformation"
    assert list(Session.objects.published()) == [session]


def test_demo_session_presided_by_zhang_junkuo_with_two_titles(demo):
    role = SessionRole.objects.select_related("person").get()
    assert role.role == SessionRole.Role.PRESIDER
    assert role.person.full_name("en") == "Zhang Junkuo"
    assert role.person.full_name("zh-hans") == "张军扩"
    with translation.override("en"):
        assert role.printed_title_list() == [
            "Chairman, China Development Research Foundation (CDRF)",
            "Deputy Director of the Committee on Proposals, the 14th CPPCC National Committee",
        ]
    with translation.override("zh-hans"):
        assert role.printed_title_list() == [
            "中国发展研究基金会理事长",
            "第十四届全国政协提案委员会副主任",
        ]


def test_demo_creates_keynote_by_li_wenhai(demo):
    speech = Speech.objects.select_related("speaker").get()
    assert speech.kind == Speech.Kind.KEYNOTE
    assert speech.speaker.full_name("en") == "LI Wenhai"
    assert speech.speaker.full_name("zh-hans") == "李文海"
    assert speech.printed_title_en == "Vice Mayor, the People's Government of Tianjin Municipality"
    assert speech.printed_title_zh_hans == "天津市人民政府副市长"
    assert list(Speech.objects.published()) == [speech]


def test_demo_creates_one_published_report(demo):
    report = Report.objects.get()
    assert list(Report.objects.published()) == [report]
    assert report.slug_zh_hans == "li-wenhai-shuzihua-funeng-chanye-zhuanxing"
    assert report.is_translation_complete("en")
    assert report.is_translation_complete("zh-hans")


def test_demo_report_credits_author_then_reviewer(demo):
    credits = [
        (credit.role, credit.person.full_name("en"), credit.person.full_name("zh-hans"))
        for credit in Credit.objects.filter(report=the_report()).select_related("person")
    ]
    # No Chinese characters are known for them: the Chinese name is the name as given.
    assert credits == [
        ("author", "Liu Changjie", "Liu Changjie"),
        ("reviewer", "Cui Keliang", "Cui Keliang"),
    ]


def test_demo_gives_no_chinese_characters_to_names_known_only_in_pinyin(demo):
    people = Person.objects.filter(slug__in=PINYIN_ONLY_PEOPLE)
    assert {
        person.slug: (person.family_name_zh_hans or "", person.given_name_zh_hans or "")
        for person in people
    } == dict.fromkeys(PINYIN_ONLY_PEOPLE, ("", ""))
    contacts = MediaContact.objects.filter(name_en__in=[c[0] for c in SEED_CONTACTS])
    assert {c.name_en: c.name_zh_hans or "" for c in contacts} == dict.fromkeys(
        [name for name, *_numbers in SEED_CONTACTS], ""
    )


def test_demo_byline_names_the_pinyin_only_people_as_given_in_chinese(demo):
    names = [
        (person["name_en"], person["name_zh_hans"])
        for entry in the_report().published_byline
        for person in entry["people"]
    ]
    assert names == [("Liu Changjie", "Liu Changjie"), ("Cui Keliang", "Cui Keliang")]


def test_demo_report_body_keeps_seed_figures(demo):
    report = the_report()
    for figure in ("73,000", "7.2%", "10,000"):
        assert figure in report.body_en
    for figure in ("7.3万", "7.2%", "1万"):
        assert figure in report.body_zh_hans


def test_demo_media_contacts_public_in_seed_order(demo):
    contacts = list(MediaContact.objects.public())
    assert [(c.name_en, c.mobile, c.office_phone, c.office_extension) for c in contacts] == [
        (name, f"+86{mobile}", f"+8610{office}", extension)
        for name, mobile, office, extension in SEED_CONTACTS
    ]


def test_demo_report_lists_the_five_contacts(demo):
    names = [contact.name_en for contact in the_report().media_contacts.all()]
    assert names == [contact[0] for contact in SEED_CONTACTS]


def test_demo_cdrf_contact_block_matches_seed(demo):
    cdrf = Organisation.objects.get(short_name_en="CDRF")
    with translation.override("zh-hans"):
        assert cdrf.address_lines() == ["中国北京东城区安定门外大街138号", "皇城国际中心A座15层"]
    assert "No. 138 Andingmen Wai Avenue" in cdrf.address_en
    assert cdrf.postal_code == "100011"
    assert (cdrf.phone, cdrf.phone_extension) == ("+861064255855", "")
    assert (cdrf.fax, cdrf.fax_extension) == ("+861064255855", "8100")
    assert cdrf.website_label() == "www.cdrf.org.cn"
    assert cdrf.email == "cdrf@cdrf.org.cn"


def test_demo_people_published(demo):
    assert sorted(Person.objects.published().values_list("slug", flat=True)) == [
        "cui-keliang",
        "li-wenhai",
        "liu-changjie",
        "zhang-junkuo",
    ]


# --- Idempotence and editors' changes ---------------------------------------------------


def test_demo_loaded_twice_keeps_row_counts(demo_loaded):
    before = row_counts()
    load("--no-accounts")
    assert row_counts() == before


def test_demo_loaded_twice_leaves_rows_untouched(demo_loaded):
    before = updated_stamps()
    load("--no-accounts")
    assert updated_stamps() == before


def test_demo_reload_keeps_editor_headline(demo_loaded):
    report = the_report()
    report.headline_en = "An editor's better headline"
    report.save()
    load("--no-accounts")
    assert the_report().headline_en == "An editor's better headline"


def test_demo_reload_keeps_editor_phone_change(demo_loaded):
    contact = MediaContact.objects.get(name_en="Guo Silu")
    contact.office_extension = "8999"
    contact.save()
    load("--no-accounts")
    contact.refresh_from_db()
    assert contact.office_extension == "8999"


def older_file_with_guessed_names(directory):
    """The demo file as an older version had it: Chinese characters guessed for the names
    the seed gives only in pinyin (placeholders here: 猜 for the family name, 测 for the
    given one, 猜测 for a contact's name)."""
    text = DEMO_FILE.read_text(encoding="utf-8")
    for family, given in (("Liu", "Changjie"), ("Cui", "Keliang")):
        text = text.replace(
            f'family_name = {{ en = "{family}" }}',
            f'family_name = {{ en = "{family}", zh_hans = "猜" }}',
        ).replace(
            f'given_name = {{ en = "{given}" }}',
            f'given_name = {{ en = "{given}", zh_hans = "测" }}',
        )
    for name, *_numbers in SEED_CONTACTS:
        text = text.replace(
            f'name = {{ en = "{name}" }}', f'name = {{ en = "{name}", zh_hans = "猜测" }}'
        )
    assert text.count('zh_hans = "猜') == 2 + len(SEED_CONTACTS)
    assert text.count('zh_hans = "测"') == 2
    older = directory / DEMO_FILE.name  # same name: the loader's source is the file's stem
    older.write_text(text, encoding="utf-8")
    return older


def test_demo_reload_takes_out_names_an_older_file_guessed(db, tmp_path):
    load("--no-accounts", "--file", str(older_file_with_guessed_names(tmp_path)))
    assert the_report().published_byline[0]["people"][0]["name_zh_hans"] == "猜测"
    load("--no-accounts")
    people = Person.objects.filter(slug__in=PINYIN_ONLY_PEOPLE)
    assert {(p.family_name_zh_hans or "", p.given_name_zh_hans or "") for p in people} == {("", "")}
    assert not MediaContact.objects.filter(name_zh_hans="猜测").exists()
    # The byline frozen with the guesses shows the names as given; who is credited stays.
    assert [
        (entry["role"], person["slug"], person["name_en"], person["name_zh_hans"])
        for entry in the_report().published_byline
        for person in entry["people"]
    ] == [
        ("author", "liu-changjie", "Liu Changjie", "Liu Changjie"),
        ("reviewer", "cui-keliang", "Cui Keliang", "Cui Keliang"),
    ]


def test_demo_reload_keeps_chinese_name_an_editor_confirmed(demo_loaded):
    # 某 stands for characters someone who knows has confirmed and entered in the admin.
    person = Person.objects.get(slug="liu-changjie")
    person.family_name_zh_hans, person.given_name_zh_hans = "某", "某某"
    person.save()
    load("--no-accounts")
    assert Person.objects.get(slug="liu-changjie").full_name("zh-hans") == "某某某"


def test_demo_reload_does_not_recreate_deleted_contact(demo_loaded):
    MediaContact.objects.get(name_en="Xia Tian").delete()
    load("--no-accounts")
    assert not MediaContact.objects.filter(name_en="Xia Tian").exists()
    assert MediaContact.objects.count() == 4


def test_demo_reload_does_not_recreate_deleted_report(demo_loaded):
    the_report().delete()
    load("--no-accounts")
    assert Report.objects.count() == 0
    assert Credit.objects.count() == 0


def test_demo_reload_does_not_recreate_deleted_credit(demo_loaded):
    Credit.objects.get(role=Credit.Role.REVIEWER).delete()
    load("--no-accounts")
    assert list(Credit.objects.values_list("role", flat=True)) == ["author"]


# --- Demo accounts ----------------------------------------------------------------------


def test_demo_accounts_not_created_with_no_accounts(demo_loaded):
    assert get_user_model().objects.count() == 0


def test_demo_accounts_created_with_role_groups(demo_loaded_with_accounts):
    users = get_user_model().objects.prefetch_related("groups")
    groups = {user.username: [group.name for group in user.groups.all()] for user in users}
    assert groups == {
        "admin": [],
        "author": ["Authors"],
        "translator": ["Translators"],
        "reviewer": ["Reviewers"],
        "editor": ["Editors"],
        "press": ["Press officers"],
    }


def test_demo_accounts_role_groups_exist():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Authors",
        "Translators",
        "Reviewers",
        "Editors",
        "Press officers",
    }


def test_demo_accounts_admin_is_superuser_others_staff(demo_loaded_with_accounts):
    users = get_user_model().objects.all()
    assert {user.username for user in users if user.is_superuser} == {"admin"}
    assert all(user.is_staff for user in users)


def test_demo_accounts_created_once(demo_loaded_with_accounts):
    load()
    assert get_user_model().objects.count() == 6


def test_demo_accounts_reload_keeps_changed_password(demo_loaded_with_accounts):
    admin = get_user_model().objects.get(username="admin")
    admin.set_password("a-new-secret-passphrase")
    admin.save()
    load()
    admin.refresh_from_db()
    assert admin.check_password("a-new-secret-passphrase")
    assert not admin.check_password("cdf-admin-2024")


# --- The `demo` fixture -----------------------------------------------------------------


def content(model):
    """A model's rows without ids, foreign keys and timestamps, to compare two loads."""
    names = [
        field.attname
        for field in model._meta.local_concrete_fields
        if not (field.primary_key or field.is_relation or isinstance(field, DateTimeField))
    ]
    return sorted(model.objects.values_list(*names), key=repr)


def test_demo_fixture_restores_what_the_loader_makes(db, demo_loader):
    """`demo` restores a snapshot of the first load; it must match a load by the command."""
    models = [Forum, Edition, Session, SessionRole, Speech, Person, MediaContact, Report]
    with transaction.atomic():
        load("--no-accounts")
        loaded = row_counts(), {model: content(model) for model in models}
        transaction.set_rollback(True)
    with transaction.atomic():
        demo_loader("--no-accounts")  # takes the snapshot if no test has yet
        transaction.set_rollback(True)
    assert row_counts()["Report"] == 0
    demo_loader("--no-accounts")
    assert (row_counts(), {model: content(model) for model in models}) == loaded
