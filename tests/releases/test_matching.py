"""plan_release: which records a release speaks of, and what differs from them."""

import json

from forum import models
from forum.releases.matching import plan_release
from tests.factories import PersonFactory
from tests.releases.importing import seed_draft


def actions(plan):
    return {(item.kind, item.label): item.action for item in plan.items()}


def differences(item):
    return [(d.field, d.current, d.parsed) for d in item.differences]


# --- The seed on the demo site and on an empty database --------------------------------------


def test_seed_on_demo_matches_every_record(demo):
    plan = plan_release(seed_draft())

    assert set(actions(plan).values()) == {"match"}
    assert plan.forum.record == models.Forum.objects.get()
    assert plan.edition.record == models.Edition.objects.get()
    assert plan.session.record == models.Session.objects.get()
    assert [item.record for item in plan.presiders] == [models.SessionRole.objects.get()]
    assert [item.record for item in plan.speeches] == [models.Speech.objects.get()]
    assert plan.report.record == models.Report.objects.get()
    assert [item.record for item in plan.credits] == list(models.Credit.objects.all())
    assert [item.record for item in plan.media_contacts] == list(models.MediaContact.objects.all())
    assert {item.record for item in plan.organisations.values()} == set(
        models.Organisation.objects.filter(short_name_en__in=("DRC", "CDRF"))
    ) | {models.Report.objects.get().publisher}


def test_seed_on_empty_database_creates_everything(db):
    plan = plan_release(seed_draft())

    assert set(actions(plan).values()) == {"create"}
    assert [item.label for item in plan.people.values()] == [
        "Zhang Junkuo",
        "Li Wenhai",
        "Liu Changjie",
        "Cui Keliang",
    ]
    assert plan.problems == []


def test_plan_as_dict_is_json(demo):
    data = json.loads(json.dumps(plan_release(seed_draft()).as_dict()))

    report = next(item for item in data["items"] if item["kind"] == "report")
    assert report["action"] == "match"
    assert report["id"] == models.Report.objects.get().pk
    assert report["differences"][0]["field"] == "headline"


# --- People ----------------------------------------------------------------------------------


def test_person_in_capitals_matches_same_name_in_lower_case(db):
    person = PersonFactory(family_name_en="Li", given_name_en="Wenhai")
    draft = seed_draft()
    draft["speeches"][0]["speaker"]["name"] = "LI WENHAI"

    plan = plan_release(draft)

    assert plan.speeches[0].links["speaker"].record == person


def test_person_matches_name_in_chinese_characters(db):
    person = PersonFactory(
        family_name_en="", given_name_en="", family_name_zh_hans="李", given_name_zh_hans="文海"
    )
    draft = seed_draft()
    draft["speeches"][0]["speaker"] = {"name": "李文海"}

    plan = plan_release(draft)

    assert plan.speeches[0].links["speaker"].record == person


def test_person_matches_given_name_first(db):
    person = PersonFactory(family_name_en="Cui", given_name_en="Keliang")
    draft = seed_draft()
    draft["report"]["credits"][1]["name"] = "Keliang Cui"

    plan = plan_release(draft)

    assert plan.credits[1].links["person"].record == person


def test_person_with_other_name_is_not_matched(db):
    PersonFactory(family_name_en="Li", given_name_en="Wenhua")

    plan = plan_release(seed_draft())

    assert plan.speeches[0].links["speaker"].action == "create"


def test_capitals_the_record_lacks_are_a_difference(db):
    PersonFactory(family_name_en="Li", given_name_en="Wenhai", uppercase_family_name=False)

    item = plan_release(seed_draft()).speeches[0].links["speaker"]

    assert differences(item) == [("family name in capitals in English", "Li Wenhai", "LI Wenhai")]


# --- Organisations, forum, edition -----------------------------------------------------------


def test_organisation_matches_chinese_short_name(demo):
    draft = seed_draft()
    draft["edition"]["host"] = {"name": "国研中心"}

    plan = plan_release(draft)

    assert plan.host.record == models.Organisation.objects.get(short_name_en="DRC")
    assert plan.host.action == "match"


def test_organisation_named_with_the_matches(demo):
    draft = seed_draft()
    draft["report"]["publisher"] = "the China Development Press"

    assert plan_release(draft).publisher.record == models.Report.objects.get().publisher


def test_edition_of_another_year_is_created_with_its_session(demo):
    draft = seed_draft()
    draft["edition"]["year"] = 2025

    plan = plan_release(draft)

    assert (plan.forum.action, plan.edition.action) == ("match", "create")
    assert plan.session.action == "create"  # the 2024 session is not the 2025 one


def test_session_title_and_date_find_edition_when_release_gives_no_year(demo):
    draft = seed_draft()
    draft["edition"]["year"] = None

    plan = plan_release(draft)

    assert plan.edition.record == models.Edition.objects.get()
    assert plan.session.record == models.Session.objects.get()
    assert plan.problems == []


def test_edited_edition_field_is_listed_as_current_and_parsed(demo):
    models.Edition.objects.update(venue_en="Great Hall of the People")

    plan = plan_release(seed_draft())

    assert differences(plan.edition) == [
        ("venue", "Great Hall of the People", "Diaoyutai State Guesthouse")
    ]


def test_forum_without_background_gets_it_filled(demo):
    models.Forum.objects.update(background_en="")

    plan = plan_release(seed_draft())

    assert plan.background.action == "fill"


# --- Session, speeches, report ---------------------------------------------------------------


def test_session_matches_title_in_chinese(demo):
    draft = seed_draft()
    draft["session"]["title"] = "数字化赋能产业转型专题研讨会"

    assert plan_release(draft).session.record == models.Session.objects.get()


def test_presider_missing_from_existing_session_is_not_applied(demo):
    models.SessionRole.objects.all().delete()

    item = plan_release(seed_draft()).presiders[0]

    assert item.action == "skip"
    assert "Not added to the session" in item.notes[0]


def test_report_of_other_speech_in_same_session_is_not_matched(demo):
    draft = seed_draft()
    draft["speeches"][0]["speaker"] = {"name": "Chen Lan"}
    draft["report"]["headline"] = "Chen Lan: Green growth"

    plan = plan_release(draft)

    assert (plan.session.action, plan.report.action) == ("match", "create")


def test_changed_body_is_listed_where_it_starts_to_differ(demo):
    draft = seed_draft()
    draft["report"]["body"] = draft["report"]["body"].replace("73,000", "75,000")

    item = plan_release(draft).report

    body = {d[0]: d[1:] for d in differences(item)}["body"]
    assert "73,000" in body[0] and "75,000" in body[1]
    assert len(body[0]) < 200


# --- Media contacts --------------------------------------------------------------------------


def test_contact_matches_mobile_under_another_name(demo):
    guo = models.MediaContact.objects.get(name_en="Guo Silu")
    draft = seed_draft()
    draft["media_contacts"][0]["name"] = "Guo Si-lu"

    item = plan_release(draft).media_contacts[0]

    assert item.record == guo
    assert differences(item) == [("name", "Guo Silu", "Guo Si-lu")]


def test_contact_office_extension_change_is_a_difference(demo):
    draft = seed_draft()
    draft["media_contacts"][0]["extension"] = "8015"

    item = plan_release(draft).media_contacts[0]

    assert differences(item) == [
        ("office phone", "+86 10 6425 5855 ext. 8014", "+86 10 6425 5855 ext. 8015")
    ]


# --- What the import would refuse ------------------------------------------------------------


def test_draft_without_session_or_body_has_problems(db):
    draft = seed_draft()
    draft["session"] = {}
    draft["report"]["body"] = "<p> </p>"

    assert plan_release(draft).problems == [
        "The release names no session: its title is missing.",
        "The release has no report text.",
    ]


def test_person_without_record_needs_nothing_in_chinese(db):
    plan = plan_release(seed_draft())

    assert models.Person.objects.count() == 0
    assert all(item.record is None for item in plan.people.values())


def test_organisation_named_only_for_existing_edition_is_not_created(demo):
    draft = seed_draft()
    draft["edition"]["host"] = {"name": "State Council Research Office", "short_name": "SCRO"}

    plan = plan_release(draft)

    assert plan.host.action == "skip"
    assert differences(plan.edition) == [
        (
            "host",
            "Development Research Centre of the State Council",
            "State Council Research Office",
        )
    ]
