"""Bad input everywhere ends in a clear 4xx or a form error, never a server error.

Explicit cases first (malformed query strings, overlong values, invalid dates and times,
unknown language prefixes, bad page numbers, broken spreadsheets), then a property-based
test (hypothesis) over every public URL pattern with arbitrary segments and parameters.
"""

import io
import zipfile
from urllib.parse import quote, urlencode

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forum.core import roles
from forum.models import MediaContact, Report, Session
from tests.factories import user_in
from tests.press.data import COLUMNS, contact_row, to_csv, to_xlsx

# --- Explicit cases ----------------------------------------------------------------------

BAD_REQUESTS = {
    # unknown or malformed language prefixes
    "/fr/": 404,
    "/zh-cn/reports/": 404,
    "/EN/": 404,
    "/en-gb/about/": 404,
    "/zh_Hans/": 404,
    # bad page numbers
    "/en/reports/?page=abc": 404,
    "/en/reports/?page=0": 404,
    "/en/reports/?page=-1": 404,
    "/en/reports/?page=99999999999999999999": 404,
    "/en/reports/?page=1e9": 404,
    "/en/reports/?page=%F0%9F%98%80": 404,
    "/en/people/?page=2.5": 404,
    "/en/search/?q=tianjin&page=abc": 404,
    "/en/search/?q=tianjin&page=100000": 404,
    "/api/v1/reports/?page=abc": 400,  # the API names the invalid parameter
    "/api/v1/reports/?page=99999999999999999999": 404,
    # malformed query strings
    "/en/search/?q=%ZZ": 200,
    "/en/search/?q=%ff%fe%fd": 200,
    "/en/search/?q": 200,
    "/en/search/?=&&&==": 200,
    "/en/search/?q=a&q=b&q=c": 200,
    "/en/search/?q=%00": 400,
    "/en/reports/?page=1%00": 400,
    "/api/v1/reports/?edition=%00": 400,
    "/api/v1/editions/a%00b/": 400,
    "/en/reports/%00/": 400,
    "/api/v1/reports/?language=fr": 400,
    "/api/v1/reports/?language=": 200,
    "/api/v1/reports/?edition=" + "x" * 5000: 200,
    # overlong values
    "/en/search/?q=" + "算" * 101: 400,
    "/en/search/?q=" + "a" * 20000: 400,
    "/en/reports/" + "a" * 2000 + "/": 404,
    "/en/people/" + "a" * 2000 + "/": 404,
    "/en/" + "9" * 300 + "/": 404,
    "/en/press/contacts/" + "9" * 40 + ".vcf": 404,
    "/en/preview/reports/" + "9" * 40 + "/": 404,
    "/api/v1/reports/" + "9" * 40 + "/": 404,
    "/api/v1/sessions/-1/": 404,
    "/api/v1/editions/" + "x" * 3000 + "/": 404,
    # invalid dates in addresses
    "/en/2024-02-30/": 404,
    "/en/0000/": 404,
    "/en/9999/calendar.ics": 404,
    "/en/2024/sessions/no-such-session/calendar.ics": 404,
}


@pytest.mark.parametrize(("path", "status"), BAD_REQUESTS.items(), ids=list(BAD_REQUESTS))
def test_bad_address_gets_a_clear_client_error(client, demo, path, status):
    # An unknown prefix (/fr/) is first sent to the reader's language (/en/fr/), which
    # then does not exist.
    response = client.get(path, follow=True)
    assert response.status_code == status


def test_too_many_query_parameters_is_a_bad_request(client, db):
    query = "&".join(f"p{n}=1" for n in range(1200))
    assert client.get(f"/en/reports/?{query}").status_code == 400


def test_unknown_host_is_a_bad_request(client, db):
    assert client.get("/en/", HTTP_HOST="evil.example").status_code == 400


@pytest.mark.parametrize("path", ["/en/", "/en/reports/", "/en/search/", "/api/v1/reports/"])
def test_writing_to_a_read_only_page_is_refused(client, db, path):
    assert client.post(path, {"q": "x"}).status_code in (403, 405)


def test_search_that_is_too_long_says_so(client, db, page_text):
    response = client.get("/en/search/", {"q": "x" * 500})
    assert response.status_code == 400
    assert "Your search is too long" in page_text(response)


# --- Invalid dates and times in the admin --------------------------------------------------


@pytest.fixture
def editor_client(client, demo):
    user = user_in(roles.EDITORS, username="bad-input-editor")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date", "2024-02-30", "Enter a valid date."),
        ("date", "24th of March", "Enter a valid date."),
        ("date", "99999-01-01", "Enter a valid date."),
        ("start_time", "25:61", "Enter a valid time."),
        ("start_time", "noon-ish", "Enter a valid time."),
        ("end_time", "99:00", "Enter a valid time."),
    ],
)
def test_invalid_session_date_or_time_is_a_form_error(
    editor_client, form_data, field, value, message
):
    session = Session.objects.first()
    url = reverse("admin:forum_session_change", args=[session.pk])
    data = form_data(editor_client.get(url))
    data[field] = value
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors[field]


def test_session_times_in_the_wrong_order_are_a_form_error(editor_client, form_data):
    session = Session.objects.first()
    url = reverse("admin:forum_session_change", args=[session.pk])
    data = form_data(editor_client.get(url))
    data.update({"start_time": "15:00", "end_time": "14:00", "part_of_day": ""})
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "The end time must be after the start time." in str(
        response.context["adminform"].form.errors
    )


@pytest.mark.parametrize("value", ["2024-13-45T99:99", "tomorrow", "9" * 50, "2024-03-24T10:00%00"])
def test_invalid_publication_time_is_refused_with_a_message(editor_client, value):
    report = Report.objects.published().first()
    report.status = Report.Status.APPROVED
    report.save()
    response = editor_client.post(
        reverse("admin:forum_report_transition", args=[report.pk, "publish"]),
        {"publish_at": value},
        follow=True,
    )
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED


@pytest.mark.parametrize(
    "query",
    [
        "published_at__year=abc",
        "published_at__month=13&published_at__year=2024",
        "published_at__day=32&published_at__month=3&published_at__year=2024",
        "state=nonsense",
        "edition__id__exact=abc",
        "o=abc",
        "p=abc",
        "q=" + "x" * 5000,
    ],
)
def test_bad_admin_list_parameters_are_handled(editor_client, query):
    response = editor_client.get(f"{reverse('admin:forum_report_changelist')}?{query}")
    assert response.status_code in (200, 302, 404)


@pytest.mark.parametrize(
    "path", ["/admin/forum/report/abc/change/", "/admin/forum/report/99999999999999999999/change/"]
)
def test_bad_admin_object_ids_are_handled(editor_client, path):
    assert editor_client.get(path).status_code in (302, 404)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/forum/report/add/?session=abc",
        "/admin/forum/report/add/?edition=1.5",
        "/admin/forum/report/add/?speeches=3,abc",
        "/admin/forum/report/add/?media_contacts=%E4%B8%AD",
        "/admin/forum/speech/add/?speaker=x",
        "/admin/forum/edition/add/?press_office=-",
        "/admin/forum/report/add/?session=9223372036854775808",
        "/admin/forum/session/add/?edition=99999999999999999999999",
        "/admin/forum/report/?session=9223372036854775808",
    ],
)
def test_admin_form_given_no_id_in_an_autocomplete_is_a_bad_request(admin_client, path):
    response = admin_client.get(path)
    assert response.status_code == 400
    assert "must be chosen from the list" in response.content.decode()


def test_author_opening_a_report_form_with_no_id_is_a_bad_request(client, people):
    client.force_login(people["author"])
    assert client.get("/admin/forum/report/add/?session=1").status_code == 200
    assert client.get("/admin/forum/report/add/?session=abc").status_code == 400


@pytest.mark.parametrize(
    ("model", "field"),
    [
        ("mediacontact", "reports"),
        ("edition", "reports"),
        ("organisation", "media_contacts"),
        ("session", "media_contacts"),
    ],
)
def test_autocomplete_asked_about_the_reverse_side_of_a_relation_is_a_bad_request(
    client, people, model, field
):
    client.force_login(people["author"])
    params = {"app_label": "forum", "model_name": model, "field_name": field, "term": "x"}
    response = client.get("/admin/autocomplete/", params)
    assert response.status_code == 400


def test_posting_no_id_in_an_autocomplete_is_a_bad_request(editor_client, form_data):
    report = Report.objects.first()
    url = reverse("admin:forum_report_change", args=[report.pk])
    data = form_data(editor_client.get(url))
    before = report.session_id
    data["session"] = "abc"
    assert editor_client.post(url, data).status_code == 400
    report.refresh_from_db()
    assert report.session_id == before


def test_posting_no_id_in_an_inline_autocomplete_is_a_bad_request(editor_client, form_data):
    session = Session.objects.filter(roles__isnull=False).first()
    url = reverse("admin:forum_session_change", args=[session.pk])
    data = form_data(editor_client.get(url))
    [key] = [key for key in data if key.endswith("-0-person")]
    data[key] = "abc"
    assert editor_client.post(url, data).status_code == 400


# --- Broken spreadsheets --------------------------------------------------------------------


@pytest.fixture
def press_client(client, demo):
    user = user_in(roles.PRESS_OFFICERS, username="bad-input-press")
    client.force_login(user)
    return client


def post_import(client, content, name, file_format):
    return client.post(
        reverse("admin:forum_mediacontact_import"),
        {"format": file_format, "import_file": SimpleUploadedFile(name, content)},
    )


def xlsx_with(rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_of(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


BROKEN_FILES = {
    "empty csv": (b"", "contacts.csv", "0"),
    "binary garbage as csv": (bytes(range(256)) * 20, "contacts.csv", "0"),
    "GBK-encoded csv": (
        "name_en,name_zh_hans,organisation\nWang Wei,王伟,CDRF\n".encode("gbk"),
        "contacts.csv",
        "0",
    ),
    "csv with unknown columns": (b"foo,bar\n1,2\n", "contacts.csv", "0"),
    "csv with a ragged row": (
        to_csv([contact_row(1)]) + b"only,two\n" + b",,,,,,,,,,,,,,,,,,,,,,,,\n",
        "contacts.csv",
        "0",
    ),
    "csv with overlong values": (
        to_csv([contact_row(1, name_en="N" * 5000, job_title_en="T" * 5000)]),
        "contacts.csv",
        "0",
    ),
    "csv with a bad organisation and edition": (
        to_csv([contact_row(1, organisation="Nowhere Inc.", editions="2024/../x")]),
        "contacts.csv",
        "0",
    ),
    "csv with hostile formulas": (
        to_csv([contact_row(1, name_en='=HYPERLINK("http://evil")', languages="=1+1")]),
        "contacts.csv",
        "0",
    ),
    "excel that is a text file": (b"name_en\nWang\n", "contacts.xlsx", "1"),
    "excel that is a zip of junk": (zip_of({"junk.txt": b"nothing"}), "contacts.xlsx", "1"),
    "excel that is truncated": (to_xlsx([contact_row(1)])[:300], "contacts.xlsx", "1"),
    "excel with no header": (xlsx_with([]), "contacts.xlsx", "1"),
    "excel with wrong types": (
        xlsx_with(
            [list(COLUMNS), [1.5, True, None, 3, "CDRF", 12345, "maybe", None, 7, "x@", 2, 3]]
        ),
        "contacts.xlsx",
        "1",
    ),
    "csv sent as excel": (to_csv([contact_row(1)]), "contacts.xlsx", "1"),
    "excel sent as csv": (to_xlsx([contact_row(1)]), "contacts.csv", "0"),
    "unknown format index": (to_csv([contact_row(1)]), "contacts.csv", "7"),
}


@pytest.mark.parametrize(
    ("content", "name", "file_format"), BROKEN_FILES.values(), ids=list(BROKEN_FILES)
)
def test_broken_import_is_a_form_error_and_imports_nothing(
    press_client, content, name, file_format
):
    before = set(MediaContact.objects.values_list("pk", "name_en", "mobile"))
    response = post_import(press_client, content, name, file_format)
    assert response.status_code == 200
    page = response.content.decode()
    assert "errornote" in page or "errorlist" in page or "Some rows failed to validate" in page
    assert set(MediaContact.objects.values_list("pk", "name_en", "mobile")) == before


def test_import_with_a_nul_character_saves_nothing(press_client):
    # PostgreSQL refuses the row (an error naming line 1); SQLite would show a preview.
    # Either way no server error, and nothing is written before the confirmation.
    content = to_csv([contact_row(1)]).replace(b"Press", b"Pr\x00ess")
    before = MediaContact.objects.count()
    response = post_import(press_client, content, "contacts.csv", "0")
    assert response.status_code == 200
    assert MediaContact.objects.count() == before


def test_import_without_a_file_is_a_form_error(press_client):
    response = press_client.post(reverse("admin:forum_mediacontact_import"), {"format": "0"})
    assert response.status_code == 200
    assert response.context["form"].errors


# --- Property-based: every public URL pattern, any segments and parameters -------------------

SLUGS = ["2024", "digital-empowerment-industrial-transformation", "li-wenhai", "1"]
PARAMETERS = ["q", "page", "edition", "language", "format", "ordering", "limit", "offset", "lang"]

segment = st.one_of(
    st.sampled_from(SLUGS),
    st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text("0123456789", min_size=30, max_size=300),
)
language = st.one_of(
    st.sampled_from(["en", "zh-hans"]),
    st.sampled_from(["fr", "zh-cn", "EN", "zh_Hans", ""]),
)
resource = st.sampled_from(
    ["editions", "sessions", "speeches", "people", "reports", "media-contacts"]
)
value = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=60),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["", "0", "-1", "1e309", "NaN", "2024-02-30", "25:61", "%", "&", "=", "en"]),
    st.text(min_size=200, max_size=400, alphabet="a算%&=+ "),
)
query = st.dictionaries(
    st.one_of(st.sampled_from(PARAMETERS), st.text(max_size=10)), value, max_size=4
)


def fill(template, parts):
    return template.format(**{name: quote(str(part), safe="") for name, part in parts.items()})


public_url = st.one_of(
    st.builds(lambda lang: fill("/{l}/", {"l": lang}), language),
    st.builds(
        lambda lang, page: fill("/{l}/{p}/", {"l": lang, "p": page}),
        language,
        st.sampled_from(["about", "reports", "people", "search"]),
    ),
    st.builds(lambda lang, s: fill("/{l}/reports/{s}/", {"l": lang, "s": s}), language, segment),
    st.builds(lambda lang, s: fill("/{l}/people/{s}/", {"l": lang, "s": s}), language, segment),
    st.builds(
        lambda lang, s: fill("/{l}/preview/reports/{s}/", {"l": lang, "s": s}), language, segment
    ),
    st.builds(
        lambda lang, kind: fill("/{l}/feeds/reports.{k}", {"l": lang, "k": kind}),
        language,
        st.sampled_from(["atom", "rss", "xml"]),
    ),
    st.builds(lambda lang, e: fill("/{l}/{e}/", {"l": lang, "e": e}), language, segment),
    st.builds(lambda lang, e: fill("/{l}/{e}/press/", {"l": lang, "e": e}), language, segment),
    st.builds(
        lambda lang, e: fill("/{l}/{e}/calendar.ics", {"l": lang, "e": e}), language, segment
    ),
    st.builds(
        lambda lang, e: fill("/{l}/{e}/press/contacts.vcf", {"l": lang, "e": e}), language, segment
    ),
    st.builds(
        lambda lang, s: fill("/{l}/press/contacts/{s}.vcf", {"l": lang, "s": s}), language, segment
    ),
    st.builds(
        lambda lang, e, s: fill("/{l}/{e}/sessions/{s}/", {"l": lang, "e": e, "s": s}),
        language,
        segment,
        segment,
    ),
    st.builds(
        lambda lang, e, s: fill("/{l}/{e}/sessions/{s}/calendar.ics", {"l": lang, "e": e, "s": s}),
        language,
        segment,
        segment,
    ),
    st.builds(lambda r: f"/api/v1/{r}/", resource),
    st.builds(lambda r, s: fill("/api/v1/{r}/{s}/", {"r": r, "s": s}), resource, segment),
    st.sampled_from(["/", "/sitemap.xml", "/robots.txt", "/api/", "/api/schema/", "/api/docs/"]),
)


@settings(
    max_examples=150,
    deadline=None,
    database=None,  # no .hypothesis folder in the project
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    path=public_url, params=query, accept=st.sampled_from(["text/html", "application/json", "*/*"])
)
def test_no_public_address_or_parameter_causes_a_server_error(client, demo, path, params, accept):
    url = f"{path}?{urlencode(params)}" if params else path
    response = client.get(url, HTTP_ACCEPT=accept)
    assert response.status_code < 500, url
