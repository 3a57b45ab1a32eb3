"""A person's positions in the API: each carries its label, the title at the organisation as
the pages print it in each language, beside the title and organisation it is made of."""

import pytest

from tests.factories import OrganisationFactory, PersonFactory, PositionFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"


def test_position_label_in_each_language_beside_its_parts(client):
    person = PersonFactory(slug="wang-ming")
    PositionFactory(
        person=person,
        title_en="Chairman",
        title_zh_hans="理事长",
        organisation=OrganisationFactory(
            name_en="China Development Research Foundation", name_zh_hans="中国发展研究基金会"
        ),
        order=1,
    )
    PositionFactory(
        person=person, title_en="Senior Fellow", title_zh_hans="", organisation=None, order=2
    )
    data = client.get(f"{API}/people/wang-ming/").json()
    first, second = data["positions"]
    assert first["label"] == {
        "en": "Chairman, China Development Research Foundation",
        "zh-hans": "中国发展研究基金会理事长",
        "zh-hant": "中國發展研究基金會理事長",
    }
    # The parts are still there, unchanged.
    assert set(first) == {"title", "organisation", "start_date", "end_date", "label"}
    assert first["title"] == {"en": "Chairman", "zh-hans": "理事长", "zh-hant": "理事長"}
    assert first["organisation"]["name"]["zh-hans"] == "中国发展研究基金会"
    # No title in Chinese: the label gives it as written, the title says it is missing.
    assert second["label"] == dict.fromkeys(("en", "zh-hans", "zh-hant"), "Senior Fellow")
    assert second["title"]["zh-hans"] is None


def test_demo_position_labels(client, demo):
    data = client.get(f"{API}/people/zhang-junkuo/").json()
    assert [position["label"]["zh-hans"] for position in data["positions"]] == [
        "中国发展研究基金会理事长",
        "第十四届全国政协提案委员会副主任",
    ]
    assert data["positions"][0]["label"]["en"] == "Chairman, China Development Research Foundation"
