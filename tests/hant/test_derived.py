"""Traditional Chinese converted from Simplified on every save, with editors' overrides."""

import io

import pytest
from django.core.management import call_command

from forum.core import languages
from forum.hant import services
from forum.models import Person, Report, TermOverride, TraditionalOverride
from forum.reports import workflow
from tests.factories import PersonFactory, ReportFactory, UserFactory
from tests.reports import test_workflow

# The workflow tests' people in every role and a published report.
live_report, edit = test_workflow.live_report, test_workflow.edit

pytestmark = pytest.mark.django_db


def test_derived_columns_are_converted_when_a_report_is_created():
    report = ReportFactory(headline_zh_hans="数据要素成为战略资源", body_zh_hans="<p>灯塔工厂</p>")
    report.refresh_from_db()
    assert report.headline_zh_hant == "數據要素成為戰略資源"
    assert report.body_zh_hant == "<p>燈塔工廠</p>"
    assert report.slug_zh_hant == report.slug_zh_hans  # pinyin converts to itself


def test_derived_columns_follow_every_change_of_the_simplified_text():
    report = ReportFactory(headline_zh_hans="数字化")
    report.headline_zh_hans = "发展与头发"
    report.save()
    report.refresh_from_db()
    assert report.headline_zh_hant == "發展與頭髮"


def test_a_save_of_some_fields_still_stores_the_converted_text():
    report = ReportFactory(summary_zh_hans="旧的")
    report.summary_zh_hans = "数据"
    report.save(update_fields=["summary_zh_hans"])
    report.refresh_from_db()
    assert report.summary_zh_hant == "數據"


def test_english_text_is_not_touched():
    report = ReportFactory(headline_en="Digital economy")
    report.refresh_from_db()
    assert report.headline_en == "Digital economy"


def test_every_translated_model_gets_its_traditional_columns():
    person = PersonFactory(family_name_zh_hans="张", given_name_zh_hans="军扩")
    person.refresh_from_db()
    assert (person.family_name_zh_hant, person.given_name_zh_hant) == ("張", "軍擴")
    assert person.full_name("zh-hant") == "張軍擴"


def test_a_term_override_steers_the_conversion_everywhere_it_occurs():
    report = ReportFactory(headline_zh_hans="钓鱼台国宾馆的会议")
    TermOverride.objects.create(source="钓鱼台国宾馆", text="釣魚台國賓館")
    report.refresh_from_db()
    assert report.headline_zh_hant == "釣魚台國賓館的會議"
    later = ReportFactory(summary_zh_hans="在钓鱼台国宾馆")
    later.refresh_from_db()
    assert later.summary_zh_hant == "在釣魚台國賓館"


def test_removing_a_term_override_converts_its_texts_again():
    term = TermOverride.objects.create(source="钓鱼台", text="釣魚台")
    report = ReportFactory(headline_zh_hans="钓鱼台")
    term.delete()
    report.refresh_from_db()
    assert report.headline_zh_hant == "釣魚臺"


def test_a_field_override_survives_reconversion():
    report = ReportFactory(headline_zh_hans="李文海：数字化赋能")
    services.set_override(report, "headline", "李文海：數位化賦能", code="zh-hant")
    report.refresh_from_db()
    assert report.headline_zh_hant == "李文海：數位化賦能"

    report.summary_zh_hans = "新的摘要"  # another field changes: the override stays
    report.save()
    call_command("derive_translations", stdout=io.StringIO())
    report.refresh_from_db()
    assert report.headline_zh_hant == "李文海：數位化賦能"
    assert report.summary_zh_hant == "新的摘要"
    assert TraditionalOverride.objects.get().outdated is False


def test_a_field_override_is_flagged_outdated_when_its_source_changes():
    report = ReportFactory(headline_zh_hans="数字化赋能")
    override = services.set_override(report, "headline", "數位化賦能", code="zh-hant")
    report.headline_zh_hans = "数字化赋能产业转型"
    report.save()
    override.refresh_from_db()
    report.refresh_from_db()
    assert override.outdated is True
    assert override.source_text == "数字化赋能"
    assert override.current_source() == "数字化赋能产业转型"
    # The editor's word stands until they revise it.
    assert report.headline_zh_hant == "數位化賦能"

    services.set_override(report, "headline", "數位化賦能產業轉型", code="zh-hant")
    override.refresh_from_db()
    report.refresh_from_db()
    assert override.outdated is False
    assert report.headline_zh_hant == "數位化賦能產業轉型"


def test_an_outdated_override_is_current_again_when_the_source_is_restored():
    report = ReportFactory(headline_zh_hans="数字化")
    override = services.set_override(report, "headline", "數位化", code="zh-hant")
    report.headline_zh_hans = "数字"
    report.save()
    report.headline_zh_hans = "数字化"
    report.save()
    override.refresh_from_db()
    assert override.outdated is False


def test_removing_a_field_override_converts_the_field_again():
    report = ReportFactory(headline_zh_hans="数字化")
    override = services.set_override(report, "headline", "數位化", code="zh-hant")
    services.remove_override(override)
    report.refresh_from_db()
    assert report.headline_zh_hant == "數字化"


def test_the_publication_gate_asks_nothing_of_traditional():
    report = ReportFactory(status=Report.Status.IN_REVIEW, published_at=None)
    Report.objects.filter(pk=report.pk).update(headline_zh_hant=None, summary_zh_hant=None)
    report.refresh_from_db()
    problems = workflow.publication_problems(report)
    assert not any(languages.get("zh-hant").badge in problem for problem in problems)
    assert workflow.required_languages(report) == ["en", "zh-hans"]


def test_a_simplified_only_report_is_also_traditional():
    report = ReportFactory(single_language="zh-hans", slug_en=None, headline_en="")
    assert report.available_languages() == ["zh-hans", "zh-hant"]
    assert list(Report.objects.public("zh-hant")) == [report]
    assert list(Report.objects.public("en")) == []


def test_an_english_only_report_is_not_traditional():
    report = ReportFactory(single_language="en")
    assert report.available_languages() == ["en"]
    assert list(Report.objects.public("zh-hant")) == []


def test_editors_cannot_mark_a_report_traditional_only():
    report = ReportFactory()
    with pytest.raises(workflow.WorkflowError):
        workflow.report_set_single_language(
            report=report, user=UserFactory(superuser=True), language_code="zh-hant"
        )


def test_person_names_in_traditional_follow_the_simplified_names():
    person = PersonFactory(family_name_zh_hans="刘", given_name_zh_hans="长杰")
    Person.objects.filter(pk=person.pk).update(family_name_zh_hant="")
    services.rederive(Person.objects.filter(pk=person.pk))
    person.refresh_from_db()
    assert person.full_name("zh-hant") == "劉長傑"


def test_traditional_follows_a_live_report_only_when_its_changes_are_published(people, live_report):
    edit(
        live_report,
        people["editor"],
        headline_en="Data becomes a strategic resource",
        headline_zh_hans="数据要素成为战略资源",
    )
    live_report.refresh_from_db()
    assert live_report.headline_zh_hant != "數據要素成為戰略資源"  # the public text stays

    for action in (workflow.report_submit, workflow.report_approve):
        action(report=live_report, user=people["editor"])
    workflow.report_publish(report=live_report, user=people["editor"])
    live_report.refresh_from_db()
    assert live_report.headline_zh_hant == "數據要素成為戰略資源"
