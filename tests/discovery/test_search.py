"""Site search: tokenising, recall and ranking on the demo content in both languages, the
index following publish/unpublish/edit, and the search page."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from forum.discovery.search import index_terms, parse_query, search, snippet
from forum.models import Person, Report, SearchDocument, Session
from tests.factories import (
    EditionFactory,
    PersonFactory,
    ReportFactory,
    SessionFactory,
    SpeechFactory,
)

pytestmark = pytest.mark.django_db

KEYNOTE_HEADLINE = {
    "en": "Li Wenhai: Digital empowerment is accelerating industrial transformation",
    "zh-hans": "李文海：数字化赋能产业转型全面提速",
}
KEYNOTE_URL = {
    "en": "/en/reports/li-wenhai-digital-empowerment-industrial-transformation/",
    "zh-hans": "/zh-hans/reports/li-wenhai-shuzihua-funeng-chanye-zhuanxing/",
}


def first_hit(query, language):
    hits = search(query, language).hits
    return hits[0] if hits else None


def titles(query, language):
    return [re.sub(r"</?mark>", "", str(hit.title)) for hit in search(query, language).hits]


def keynote():
    return Report.objects.get(slug_en="li-wenhai-digital-empowerment-industrial-transformation")


# --- Tokenising -------------------------------------------------------------------------


def test_index_terms_are_han_unigrams_and_bigrams():
    assert set(index_terms("数字化")) == {"数", "字", "化", "数字", "字化"}


def test_index_terms_stem_and_lower_case_english_words():
    assert set(index_terms("Computing POWER platforms")) == {"comput", "power", "platform"}


def test_index_terms_split_mixed_text_and_skip_stop_words():
    assert set(index_terms("建成5G基站 of the DCU")) == {
        "建",
        "成",
        "建成",
        "5g",
        "基",
        "站",
        "基站",
        "dcu",
    }


def test_query_of_one_character_is_a_unigram():
    assert parse_query("天").terms == {"天"}


def test_query_of_two_characters_is_a_bigram():
    assert parse_query("天津").terms == {"天津"}


def test_query_of_three_characters_needs_the_run_as_written():
    parsed = parse_query("李文海")
    assert parsed.terms == {"李文", "文海"}
    assert parsed.phrases == ("李文海",)


def test_query_word_forms_share_a_stem():
    assert parse_query("compute").terms == parse_query("computing").terms == {"comput"}


def test_full_width_query_matches_ascii():
    assert parse_query("ＤＣＵ").terms == {"dcu"}


def test_query_of_stop_words_only_has_nothing_to_search():
    assert not parse_query("the of")


def test_snippet_escapes_text_and_marks_matches():
    text = 'He said <b>"compute"</b> & computing power'
    html = snippet(text, parse_query("computing"))
    assert "&lt;b&gt;" in html
    assert "<b>" not in html
    assert "<mark>compute</mark>" in html
    assert "<mark>computing</mark>" in html


def test_snippet_marks_a_phrase_as_one():
    assert "<mark>computing power</mark>" in snippet(
        "new computing power", parse_query("computing power")
    )


# --- Recall and ranking on the demo content ---------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "天津",
        "数字",
        "算力",
        "李文海",
        "天",
        "5G",
        "DCU",
        "数字经济",
        "天津 5G",
        "海光DCU",
        "ｄｃｕ",
    ],
)
def test_chinese_queries_find_the_keynote_report_first(demo, query):
    hit = first_hit(query, "zh-hans")
    assert hit is not None
    assert hit.object == keynote()
    assert hit.url == KEYNOTE_URL["zh-hans"]


@pytest.mark.parametrize(
    "query", ["computing power", "compute", "Computing", "Tianjin", "5G", "DCU", "digital economy"]
)
def test_english_queries_find_the_keynote_report_first(demo, query):
    hit = first_hit(query, "en")
    assert hit is not None
    assert hit.object == keynote()
    assert hit.url == KEYNOTE_URL["en"]


def test_one_character_finds_every_page_with_it(demo):
    # 天 is in 天津 (report, person, session, speech).
    assert {hit.kind for hit in search("天", "zh-hans").hits} == {
        "report",
        "person",
        "session",
        "speech",
    }


def test_name_finds_the_person_page(demo):
    assert "李文海" in titles("李文海", "zh-hans")
    assert "LI Wenhai" in titles("Li Wenhai", "en")


def test_chinese_name_finds_the_person_and_his_report_on_the_english_site(demo):
    # His names in every language are indexed with the reports that quote him (issue 24).
    found = titles("李文海", "en")
    assert found[0] == KEYNOTE_HEADLINE["en"]
    assert "LI Wenhai" in found


def test_each_language_searches_its_own_pages(demo):
    assert search("computing power", "zh-hans").count == 0
    assert search("算力", "en").count == 0


def test_title_matches_rank_first(demo):
    assert titles("数字", "zh-hans")[:3] == [
        KEYNOTE_HEADLINE["zh-hans"],
        "数字化赋能产业转型专题研讨会",
        "数字化赋能产业转型",
    ]


def test_headline_match_outranks_frequent_mentions_in_the_text(db):
    mentions = ReportFactory(body_en="<p>Quantum. Quantum. Quantum. Quantum.</p>")
    headline = ReportFactory(headline_en="Quantum leap", body_en="<p>Nothing else.</p>")
    assert [hit.object for hit in search("quantum", "en").hits] == [headline, mentions]


def test_all_query_terms_must_occur(demo):
    assert search("天津 火星", "zh-hans").count == 0


def test_three_characters_must_be_adjacent(db):
    ReportFactory(headline_zh_hans="李文与文海", body_zh_hans="<p>李文和文海不是一个人。</p>")
    assert search("李文海", "zh-hans").count == 0
    assert search("李文", "zh-hans").count == 1


def test_search_highlights_title_and_snippet(demo):
    hit = first_hit("李文海", "zh-hans")
    assert "<mark>李文海</mark>" in hit.title
    assert "<mark>李文海</mark>" in hit.snippet


def test_results_are_paginated(db):
    for number in range(12):
        ReportFactory(headline_en=f"Pagination {number}")
    first, second = search("pagination", "en", page=1), search("pagination", "en", page=2)
    assert first.count == 12
    assert len(first.hits) == 10
    assert len(second.hits) == 2
    assert not {hit.object for hit in first.hits} & {hit.object for hit in second.hits}


# --- The index follows the content ------------------------------------------------------


def test_draft_report_is_not_found_until_published(db):
    report = ReportFactory(headline_en="Orbital economy", status=Report.Status.DRAFT)
    assert search("orbital", "en").count == 0
    report.status = Report.Status.PUBLISHED
    report.save()
    assert [hit.object for hit in search("orbital", "en").hits] == [report]


def test_withdrawn_report_leaves_the_index(db):
    report = ReportFactory(headline_en="Orbital economy")
    report.status = Report.Status.WITHDRAWN
    report.save()
    assert search("orbital", "en").count == 0
    assert not SearchDocument.objects.filter(kind="report", object_id=report.pk).exists()


def test_scheduled_report_appears_at_its_publication_time(db, monkeypatch):
    publish_at = timezone.now() + datetime.timedelta(hours=2)
    report = ReportFactory(headline_en="Orbital economy", published_at=publish_at)
    assert search("orbital", "en").count == 0
    later = publish_at + datetime.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert [hit.object for hit in search("orbital", "en").hits] == [report]


def test_edited_headline_is_found_by_its_new_words(db):
    report = ReportFactory(headline_en="Orbital economy")
    report.headline_en = "Lunar economy"
    report.save()
    assert search("orbital", "en").count == 0
    assert search("lunar", "en").count == 1


def test_working_copy_is_not_indexed(db):
    report = ReportFactory(headline_en="Orbital economy")
    report.pending_changes = {"headline_en": "Secret draft wording"}
    report.save()
    assert search("secret", "en").count == 0
    assert search("orbital", "en").count == 1


def test_single_language_report_is_found_in_that_language_only(db):
    report = ReportFactory(headline_en="Orbital economy", headline_zh_hans="轨道经济")
    report.single_language = "en"
    report.save()
    assert search("orbital", "en").count == 1
    assert search("轨道", "zh-hans").count == 0


def test_deleted_report_leaves_the_index(db):
    report = ReportFactory(headline_en="Orbital economy")
    report.delete()
    assert not SearchDocument.objects.filter(kind="report").exists()


def test_unpublished_person_leaves_the_index(demo):
    person = Person.objects.get(slug="li-wenhai")
    person.is_published = False
    person.save()
    assert "LI Wenhai" not in titles("Li Wenhai", "en")


def test_unpublished_edition_takes_its_sessions_and_speeches_along(demo):
    session = Session.objects.get()
    session.edition.is_published = False
    session.edition.save()
    assert {hit.kind for hit in search("数字化赋能", "zh-hans").hits} <= {"report", "person"}


def test_renamed_speaker_is_found_by_the_new_name_in_the_speech(db):
    speech = SpeechFactory(speaker=PersonFactory(family_name_en="Zhou"))
    speech.speaker.family_name_en = "Zhao"
    speech.speaker.save()
    assert speech in [hit.object for hit in search("Zhao", "en").hits]


@pytest.mark.parametrize(
    "unlink",
    [
        lambda report, speech: report.speeches.remove(speech),
        lambda report, speech: report.speeches.clear(),
        lambda report, speech: speech.reports.remove(report),
    ],
    ids=["remove", "clear", "remove-from-the-speech"],
)
def test_report_found_by_its_speaker_only_while_it_quotes_the_speech(db, unlink):
    speech = SpeechFactory(speaker=PersonFactory(family_name_en="Quillfeather"))
    report = ReportFactory(edition=speech.session.edition)
    report.speeches.add(speech)
    assert report in [hit.object for hit in search("Quillfeather", "en").hits]
    unlink(report, speech)
    assert report not in [hit.object for hit in search("Quillfeather", "en").hits]


def test_session_roles_are_part_of_the_session_text(demo):
    assert "数字化赋能产业转型专题研讨会" in titles("张军扩", "zh-hans")


def test_rebuild_command_indexes_the_same_documents(demo):
    before = set(SearchDocument.objects.values_list("kind", "object_id", "language"))
    SearchDocument.objects.all().delete()
    call_command("rebuild_search_index", stdout=io.StringIO())
    assert set(SearchDocument.objects.values_list("kind", "object_id", "language")) == before


def test_result_no_longer_public_is_not_shown(db):
    edition = EditionFactory()
    session = SessionFactory(edition=edition, title_en="Orbital symposium")
    # A bulk update skips the save signals; results are checked against published().
    Session.objects.filter(pk=session.pk).update(is_published=False)
    assert search("orbital", "en").hits == []


# --- The search page --------------------------------------------------------------------


def test_search_page_lists_the_keynote_report_first(client, demo):
    response = client.get("/zh-hans/search/", {"q": "天津"})
    assert response.status_code == 200
    links = re.findall(r'<h2 class="teaser-title"><a href="([^"]+)"', response.content.decode())
    assert links[0] == KEYNOTE_URL["zh-hans"]


def test_search_page_in_english_lists_the_keynote_report_first(client, demo):
    response = client.get("/en/search/", {"q": "computing power"})
    links = re.findall(r'<h2 class="teaser-title"><a href="([^"]+)"', response.content.decode())
    assert links[0] == KEYNOTE_URL["en"]
    assert "<mark>computing power</mark>" in response.content.decode()


def test_search_page_escapes_the_query_and_the_text(client, db):
    ReportFactory(summary_en='Keyword <script>alert("x")</script>')
    response = client.get("/en/search/", {"q": "<script>keyword"})
    content = response.content.decode()
    assert "<script>alert" not in content
    assert "&lt;script&gt;" in content


def test_empty_search_page_offers_examples(client, db, page_text):
    response = client.get("/en/search/")
    assert response.status_code == 200
    assert "Search in English or Chinese" in page_text(response)
    assert 'href="?q=computing%20power"' in response.content.decode()


def test_no_results_page_offers_the_other_language(client, db, page_text):
    response = client.get("/en/search/", {"q": "zzzz"})
    assert response.status_code == 200
    assert "No results for “zzzz”" in page_text(response)
    assert 'href="/zh-hans/search/?q=zzzz"' in response.content.decode()


def test_overlong_query_is_refused_politely(client, db, page_text):
    response = client.get("/en/search/", {"q": "x" * 101})
    assert response.status_code == 400
    assert "too long" in page_text(response)


@pytest.mark.parametrize("page", ["abc", "0", "99", "-1", "1e400"])
def test_bad_page_number_is_not_found(client, demo, page):
    assert client.get("/en/search/", {"q": "Tianjin", "page": page}).status_code == 404


def test_search_pagination_links_keep_the_query(client, db):
    for number in range(12):
        ReportFactory(headline_en=f"Pagination {number}")
    content = client.get("/en/search/", {"q": "pagination"}).content.decode()
    assert 'href="?q=pagination&amp;page=2"' in content


def test_search_page_is_not_indexed_by_search_engines(client, db):
    assert (
        '<meta name="robots" content="noindex, follow">'
        in client.get("/en/search/?q=x").content.decode()
    )


@pytest.mark.parametrize("language_code", ["en", "zh-hans"])
def test_every_page_has_the_search_form(client, demo, language_code):
    content = client.get(f"/{language_code}/").content.decode()
    assert f'action="/{language_code}/search/"' in content


def test_search_page_queries_do_not_grow_with_results(client, demo, django_assert_max_num_queries):
    # Count, ranking, documents, one query per kind of result, and the header's edition.
    ReportFactory.create_batch(8, headline_zh_hans="天津新闻")
    with django_assert_max_num_queries(9):
        assert client.get("/zh-hans/search/", {"q": "天津"}).status_code == 200
