"""Search reads Chinese the way readers type it (issue 24, items 1 and 2): unspaced queries
cut into words (jieba with the site's own names), particles ignored, Taiwan's vocabulary,
British spellings, and a person's names in every language on the reports that quote them."""

import tempfile
from pathlib import Path

import pytest

from forum.discovery import search as site_search
from forum.discovery.text import american_spelling, chinese_words, parse_query, segmenter
from forum.models import Person, Report
from tests.factories import PersonFactory, ReportFactory

pytestmark = pytest.mark.django_db

KEYNOTE_SLUG = "li-wenhai-digital-empowerment-industrial-transformation"
CHINESE = ["zh-hans", "zh-hant"]
UNSPACED = ["天津算力", "天津数字经济", "数字经济天津", "李文海演讲", "算力平台建设", "天津的算力"]


def results(client, language, query):
    response = client.get(f"/{language}/search/", {"q": query})
    assert response.status_code == 200
    return response.context["results"]


def keynote():
    return Report.objects.get(slug_en=KEYNOTE_SLUG)


# --- On the demo content, through the search pages --------------------------------------


@pytest.mark.parametrize("language", CHINESE)
@pytest.mark.parametrize("query", UNSPACED)
def test_unspaced_query_puts_the_keynote_report_first(client, demo, language, query):
    found = results(client, language, query)
    assert found.hits[0].object == keynote()
    assert "<mark>" in str(found.hits[0].snippet)


@pytest.mark.parametrize("language", CHINESE)
def test_unspaced_query_in_traditional_characters_finds_the_report(client, demo, language):
    assert results(client, language, "天津數字經濟").hits[0].object == keynote()


@pytest.mark.parametrize("query", ["資料", "晶片", "資料晶片"])
def test_taiwan_vocabulary_finds_the_mainland_words_on_the_traditional_site(client, demo, query):
    # The text says 數據 and 芯片 (converted from 数据, 芯片).
    assert results(client, "zh-hant", query).hits[0].object == keynote()


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
@pytest.mark.parametrize("query", ["Li Wenhai", "LI Wenhai", "李文海"])
def test_a_name_in_any_language_finds_his_report_on_every_site(client, demo, language, query):
    assert results(client, language, query).hits[0].object == keynote()


@pytest.mark.parametrize("language", CHINESE)
def test_name_and_word_unspaced_find_his_report(client, demo, language):
    assert results(client, language, "李文海演讲").hits[0].object == keynote()


@pytest.mark.parametrize("query", ["digitalisation", "digitalization", "digitalise"])
def test_british_spelling_finds_the_american_one(client, demo, query):
    # The text says "Digitalization fuels industrial transformation".
    assert results(client, "en", query).hits[0].object == keynote()


@pytest.mark.parametrize("language", CHINESE)
@pytest.mark.parametrize("query", ["天津火星", "算力火星", "李文海火星演讲"])
def test_a_query_whose_words_are_not_all_present_finds_nothing(client, demo, language, query):
    assert results(client, language, query).count == 0


def test_a_particle_is_not_looked_for(client, demo):
    with_particle = results(client, "zh-hans", "天津的算力")
    without = results(client, "zh-hans", "天津算力")
    assert [hit.object for hit in with_particle.hits] == [hit.object for hit in without.hits]


# --- Ranking and matching on small data -------------------------------------------------


def test_a_page_holding_the_query_as_written_ranks_first(db):
    apart = ReportFactory(headline_zh_hans="天津新闻", body_zh_hans="<p>算力。</p>")
    together = ReportFactory(headline_zh_hans="新闻", body_zh_hans="<p>天津算力中心。</p>")
    hits = site_search.search("天津算力", "zh-hans").hits
    assert [hit.object for hit in hits] == [together, apart]


def test_each_word_of_three_characters_must_occur_as_written(db):
    ReportFactory(headline_zh_hans="李文与文海", body_zh_hans="<p>演讲。</p>")
    assert site_search.search("李文海演讲", "zh-hans").count == 0


def test_query_of_particles_only_still_searches_them(db):
    ReportFactory(headline_zh_hans="和", body_zh_hans="<p>和。</p>")
    assert site_search.search("和", "zh-hans").count == 1


def test_taiwan_word_typed_finds_its_own_spelling_too(db):
    report = ReportFactory(headline_zh_hans="资料汇编")
    assert [hit.object for hit in site_search.search("資料", "zh-hans").hits] == [report]


# --- Query words ------------------------------------------------------------------------


def test_unspaced_query_is_cut_into_words():
    assert [forms[0].text for forms in parse_query("天津数字经济").words] == [
        "天津",
        "数字",
        "经济",
    ]


def test_particles_and_punctuation_are_dropped():
    words = [forms[0].text for forms in parse_query("天津的算力、数据和芯片，").words]
    assert words == ["天津", "算力", "数据", "芯片"]


def test_characters_the_dictionary_does_not_know_stay_together():
    # 算力 is not in jieba's dictionary: its two characters are one run, one bigram.
    assert chinese_words("算力平台") == ["算力", "平台"]


def test_traditional_word_also_looks_for_the_mainland_word():
    (forms,) = parse_query("軟體").words
    assert [form.text for form in forms] == ["软体", "软件"]


def test_simplified_query_has_no_regional_forms():
    (forms,) = parse_query("数据").words
    assert [form.text for form in forms] == ["数据"]


@pytest.mark.parametrize(
    ("british", "american"),
    [
        ("digitalisation", "digitalization"),
        ("organised", "organized"),
        ("analyse", "analyze"),
        ("colour", "color"),
        ("labourers", "laborers"),
        ("centre", "center"),
        ("centred", "centered"),
        ("programme", "program"),
        ("defence", "defense"),
        ("travelled", "traveled"),
    ],
)
def test_british_spelling_folds_to_american(british, american):
    assert american_spelling(british) == american


@pytest.mark.parametrize(
    "word", ["promise", "exercised", "enterprises", "tour", "detours", "ogre", "crises", "four"]
)
def test_words_that_only_look_british_are_kept(word):
    assert american_spelling(word) == word


# --- The site's words in jieba's dictionary ---------------------------------------------

# A clearly made-up name: 欧阳 with 测试 ("test") for a given name.
FICTIONAL = {
    "family_name_zh_hans": "欧阳",
    "given_name_zh_hans": "测试",
    "family_name_en": "Ouyang",
}


def test_a_new_persons_name_is_cut_whole_at_the_next_query(db):
    site_search.load_site_words()
    assert chinese_words("欧阳测试演讲") != ["欧阳测试", "演讲"]
    person = PersonFactory(**FICTIONAL)
    site_search.load_site_words()
    assert chinese_words("欧阳测试演讲") == ["欧阳测试", "演讲"]
    person.delete()
    site_search.load_site_words()
    assert chinese_words("欧阳测试演讲") != ["欧阳测试", "演讲"]


def test_site_words_are_read_again_only_when_they_changed(db, django_assert_num_queries):
    site_search.load_site_words()
    with django_assert_num_queries(0):
        site_search.load_site_words()
    Person.objects.create(slug="fictional-person", family_name_en="Fictional")
    with django_assert_num_queries(1):
        site_search.load_site_words()


def test_jiebas_cache_is_kept_in_the_temporary_directory():
    assert segmenter.tokenizer.tmp_dir == tempfile.gettempdir()
    assert not list(Path(__file__).resolve().parents[2].glob("jieba*.cache"))
