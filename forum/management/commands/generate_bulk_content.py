"""Fills the database with a large, realistic forum for benchmarks and admin trials.

    python manage.py generate_bulk_content            # 20 editions, 2,000 sessions,
                                                      # 10,000 reports, 5,000 contacts
    python manage.py generate_bulk_content --scale 0.01

Everything is published and bilingual, made with bulk_create in batches (no save signals,
so no per-row search indexing or cache invalidation); the search index is then rebuilt
once for the new rows and the page cache emptied. Slugs start with "bulk-", so the demo
content can live beside it. Never run it on a production database.

Some rows are "featured", with related rows growing with --scale, so that query counts
can be compared as content grows (see tools/bench.py), in each language:

    reports/bulk-report-0/                credits, speeches, media contacts
    <edition>/sessions/bulk-session-0/    speeches and roles
    people/bulk-person-0/                 credits, speeches, roles, positions
"""

import datetime
import math
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone, translation

from forum import models
from forum.core import languages
from forum.reports import byline

BATCH = 1000

FAMILY = [("Li", "李"), ("Wang", "王"), ("Zhang", "张"), ("Liu", "刘"), ("Chen", "陈"),
          ("Yang", "杨"), ("Zhao", "赵"), ("Huang", "黄"), ("Zhou", "周"), ("Wu", "吴"),
          ("Xu", "徐"), ("Sun", "孙"), ("Hu", "胡"), ("Zhu", "朱"), ("Gao", "高")]  # fmt: skip
GIVEN = [("Wenhai", "文海"), ("Junkuo", "峻括"), ("Changjie", "长杰"), ("Keliang", "克亮"),
         ("Xiaoming", "晓明"), ("Yafan", "亚凡"), ("Silu", "思璐"), ("Tian", "天"),
         ("Wanjing", "婉婧"), ("Kaixian", "凯娴"), ("Hong", "红"), ("Jun", "军")]  # fmt: skip
TOPICS = [
    ("digital economy", "数字经济"),
    ("green transition", "绿色转型"),
    ("computing power", "算力"),
    ("industrial transformation", "产业转型"),
    ("open markets", "对外开放"),
    ("technological innovation", "科技创新"),
    ("population ageing", "人口老龄化"),
    ("rural revitalisation", "乡村振兴"),
    ("carbon neutrality", "碳中和"),
    ("artificial intelligence", "人工智能"),
    ("financial stability", "金融稳定"),
    ("consumer demand", "消费需求"),
]  # fmt: skip
CITIES = [("Beijing", "北京"), ("Tianjin", "天津"), ("Shanghai", "上海"), ("Shenzhen", "深圳")]
TITLES = [("Vice Mayor", "副市长"), ("Director", "主任"), ("Professor", "教授"),
          ("Chairman", "董事长"), ("Chief Economist", "首席经济学家")]  # fmt: skip

SENTENCE_EN = (
    "Speakers at the {edition} discussed {topic} in {city}, saying that {other} would "
    "shape growth in the coming decade and calling for closer cooperation."
)
SENTENCE_ZH = (
    "{edition}上，与会嘉宾在{city}围绕{topic}展开讨论，"
    "认为{other}将影响未来十年的发展，呼吁加强合作。"
)


class Generator:
    def __init__(self, *, editions, sessions, reports, contacts, people, scale, seed, out):
        self.counts = {
            "editions": editions,
            "sessions": sessions,
            "reports": reports,
            "contacts": contacts,
            "people": people,
        }
        self.scale = scale
        self.random = random.Random(seed)
        self.out = out
        self.now = timezone.now()

    def log(self, message):
        self.out.write(message)

    def pick(self, items):
        return items[self.random.randrange(len(items))]

    def featured(self, full):
        """Related rows of the featured objects: `full` at scale 1, at least 1."""
        return max(1, math.ceil(full * self.scale))

    # --- Rows -------------------------------------------------------------------------

    def run(self):
        forum = models.Forum.objects.order_by("pk").first() or models.Forum.objects.create(
            **languages.spread("name", "China Development Forum", "中国发展高层论坛"),
            slug="cdf",
            **languages.spread(
                "background",
                "The China Development Forum is held every spring in Beijing.",
                "中国发展高层论坛每年春季在北京举行。",
            ),
        )
        self.organisations = models.Organisation.objects.bulk_create(
            models.Organisation(
                **languages.spread("name", f"Bulk Organisation {index}", f"批量机构{index}"),
                kind=models.Organisation.Kind.OTHER,
                phone="+861064255855",
                **languages.spread("address", "Beijing", "北京"),
            )
            for index in range(40)
        )
        self.editions = self.make_editions(forum)
        self.people = self.make_people()
        self.sessions = self.make_sessions()
        self.speeches = self.make_speeches_and_roles()
        self.contacts = self.make_contacts()
        self.make_reports()

    def make_editions(self, forum):
        taken = set(models.Edition.objects.values_list("year", flat=True))
        years = [year for year in range(2023, 1900, -1) if year not in taken]
        editions = []
        for year in sorted(years[: self.counts["editions"]]):
            city, topic = self.pick(CITIES), self.pick(TOPICS)
            editions.append(
                models.Edition(
                    forum=forum,
                    year=year,
                    slug=f"bulk-{year}",
                    **languages.spread("theme", f"Development and {topic[0]}", f"发展与{topic[1]}"),
                    **languages.spread(
                        "summary",
                        f"The {year} forum on {topic[0]}.",
                        f"{year}年论坛聚焦{topic[1]}。",
                    ),
                    **languages.spread("venue", "Diaoyutai State Guesthouse", "钓鱼台国宾馆"),
                    **languages.spread("city", city[0], city[1]),
                    start_date=datetime.date(year, 3, 20),
                    end_date=datetime.date(year, 3, 22),
                    host=self.pick(self.organisations),
                    organiser=self.pick(self.organisations),
                    press_office=self.pick(self.organisations),
                    is_published=True,
                )
            )
        editions = models.Edition.objects.bulk_create(editions)
        self.log(f"{len(editions)} editions")
        return editions

    def make_people(self):
        people = []
        for index in range(self.counts["people"]):
            family, given = self.pick(FAMILY), self.pick(GIVEN)
            topic = self.pick(TOPICS)
            people.append(
                models.Person(
                    **languages.spread("family_name", family[0], family[1]),
                    **languages.spread("given_name", given[0], given[1]),
                    **languages.spread(
                        "biography",
                        f"{family[0]} {given[0]} works on {topic[0]}.",
                        f"{family[1]}{given[1]}长期研究{topic[1]}。",
                    ),
                    slug=f"bulk-person-{index}",
                    is_published=True,
                )
            )
        people = models.Person.objects.bulk_create(people, batch_size=BATCH)
        featured_positions = self.featured(20)
        positions = []
        for index, person in enumerate(people):
            for order in range(featured_positions if index == 0 else 1):
                title = self.pick(TITLES)
                positions.append(
                    models.Position(
                        person=person,
                        **languages.spread("title", title[0], title[1]),
                        organisation=self.pick(self.organisations),
                        order=order,
                    )
                )
        models.Position.objects.bulk_create(positions, batch_size=BATCH)
        self.log(f"{len(people)} people, {len(positions)} positions")
        return people

    def make_sessions(self):
        sessions = []
        kinds = list(models.Session.Kind.values)
        for index in range(self.counts["sessions"]):
            # The featured session is in the newest edition.
            edition = self.editions[-1 - index % len(self.editions)]
            topic = self.pick(TOPICS)
            sessions.append(
                models.Session(
                    edition=edition,
                    kind=self.pick(kinds),
                    **languages.spread(
                        "title",
                        f"Symposium {index}: {topic[0].capitalize()}",
                        f"专题研讨会{index}：{topic[1]}",
                    ),
                    **languages.spread(
                        "summary", f"A discussion of {topic[0]}.", f"围绕{topic[1]}的讨论。"
                    ),
                    slug=f"bulk-session-{index}",
                    date=edition.start_date + datetime.timedelta(days=index % 3),
                    part_of_day=self.pick(["morning", "afternoon"]),
                    **languages.spread("venue", "Diaoyutai State Guesthouse", "钓鱼台国宾馆"),
                    order=index // len(self.editions),
                    is_published=True,
                )
            )
        sessions = models.Session.objects.bulk_create(sessions, batch_size=BATCH)
        self.log(f"{len(sessions)} sessions")
        return sessions

    def make_speeches_and_roles(self):
        speeches, roles = [], []
        kinds = list(models.Speech.Kind.values)
        role_kinds = list(models.SessionRole.Role.values)
        for index, session in enumerate(self.sessions):
            count = self.featured(100) if index == 0 else 3
            for order in range(count):
                # Person 0 speaks at the featured session, so their page grows with it.
                speaker = self.people[0] if index == 0 and order < self.featured(40) else None
                speaker = speaker or self.pick(self.people)
                title = self.pick(TITLES)
                topic = self.pick(TOPICS)
                speeches.append(
                    models.Speech(
                        session=session,
                        speaker=speaker,
                        kind=self.pick(kinds),
                        **languages.spread("title", f"On {topic[0]}", f"关于{topic[1]}"),
                        **languages.spread("printed_title", title[0], title[1]),
                        order=order,
                        is_published=True,
                    )
                )
            role_people = self.random.sample(self.people, min(len(self.people), 2))
            if index == 0:
                role_people = self.people[1 : 1 + self.featured(40)]
            for order, person in enumerate(role_people):
                title = self.pick(TITLES)
                roles.append(
                    models.SessionRole(
                        session=session,
                        person=person,
                        role=role_kinds[order % len(role_kinds)],
                        **languages.spread("printed_titles", title[0], title[1]),
                        order=order,
                    )
                )
        speeches = models.Speech.objects.bulk_create(speeches, batch_size=BATCH)
        models.SessionRole.objects.bulk_create(roles, batch_size=BATCH)
        self.log(f"{len(speeches)} speeches, {len(roles)} session roles")
        by_session = {}
        for speech in speeches:
            by_session.setdefault(speech.session_id, []).append(speech)
        return by_session

    def make_contacts(self):
        contacts = []
        for index in range(self.counts["contacts"]):
            family, given = self.pick(FAMILY), self.pick(GIVEN)
            contacts.append(
                models.MediaContact(
                    **languages.spread("name", f"{family[0]} {given[0]}", f"{family[1]}{given[1]}"),
                    **languages.spread("job_title", "Press officer", "新闻官"),
                    organisation=self.pick(self.organisations),
                    mobile=f"+86139{index:08d}",
                    mobile_public=True,
                    office_phone="+861064255855",
                    office_extension=f"{8000 + index % 2000}",
                    office_phone_public=True,
                    email=f"press{index}@bulk.example.org",
                    email_public=index % 2 == 0,
                    languages="zh,en",
                    is_public=True,
                    order=index % 10,
                )
            )
        contacts = models.MediaContact.objects.bulk_create(contacts, batch_size=BATCH)
        links = [
            models.MediaContact.editions.through(
                mediacontact=contact, edition=self.pick(self.editions)
            )
            for contact in contacts
        ]
        models.MediaContact.editions.through.objects.bulk_create(links, batch_size=BATCH)
        self.log(f"{len(contacts)} media contacts")
        return contacts

    def bodies(self, edition, topic):
        """The report text in English and in Chinese."""
        other = self.pick(TOPICS)
        city = self.pick(CITIES)
        sentences = (
            SENTENCE_EN.format(
                edition=f"China Development Forum {edition.year}",
                topic=topic[0],
                city=city[0],
                other=other[0],
            ),
            SENTENCE_ZH.format(
                edition=f"中国发展高层论坛{edition.year}年年会",
                topic=topic[1],
                city=city[1],
                other=other[1],
            ),
        )
        return tuple(
            "".join(f"<p>{' '.join([sentence] * 3)}</p>" for _ in range(6))
            for sentence in sentences
        )

    def make_reports(self):
        reports = []
        editions_by_pk = {edition.pk: edition for edition in self.editions}
        total = self.counts["reports"]
        for index in range(total):
            session = self.sessions[0] if index == 0 else self.pick(self.sessions)
            edition = editions_by_pk[session.edition_id]
            topic = self.pick(TOPICS)
            # Spread over the editions' years, newest edition last; never in the future.
            published_at = min(
                timezone.make_aware(datetime.datetime.combine(edition.start_date, datetime.time(9)))
                + datetime.timedelta(minutes=index),
                self.now - datetime.timedelta(minutes=1),
            )
            reports.append(
                models.Report(
                    edition=edition,
                    session=session,
                    **languages.spread(
                        "headline",
                        f"Report {index}: speakers discuss {topic[0]}",
                        f"报道{index}：嘉宾热议{topic[1]}",
                    ),
                    **languages.spread(
                        "summary",
                        f"Forum speakers on {topic[0]} and what it means for growth.",
                        f"与会嘉宾谈{topic[1]}及其对发展的意义。",
                    ),
                    **languages.spread("body", *self.bodies(edition, topic)),
                    **languages.spread("slug", f"bulk-report-{index}", f"bulk-baodao-{index}"),
                    status=models.Report.Status.PUBLISHED,
                    published_at=published_at,
                    live_updated_at=published_at,
                    publisher=self.pick(self.organisations),
                )
            )
        reports = models.Report.objects.bulk_create(reports, batch_size=BATCH)

        credits, report_speeches, report_contacts = [], [], []
        speech_links = models.Report.speeches.through
        contact_links = models.Report.media_contacts.through
        for index, report in enumerate(reports):
            people = self.random.sample(self.people, min(len(self.people), 2))
            roles = [models.Credit.Role.AUTHOR, models.Credit.Role.REVIEWER]
            if index == 0:
                people = self.people[: self.featured(20) + 1]
                roles = [models.Credit.Role.REVIEWER] + [models.Credit.Role.AUTHOR] * (
                    len(people) - 1
                )
            elif index < self.featured(100):
                people = [self.people[0], people[1]]  # person 0's reports grow too
            for order, (person, role) in enumerate(zip(people, roles, strict=False)):
                credits.append(models.Credit(report=report, person=person, role=role, order=order))
            session_speeches = self.speeches.get(report.session_id, [])
            linked = session_speeches if index == 0 else session_speeches[:1]
            report_speeches += [speech_links(report=report, speech=s) for s in linked]
            contacts = (
                self.contacts[: self.featured(50)]
                if index == 0
                else [self.pick(self.contacts) for _ in range(2)]
            )
            report_contacts += [
                contact_links(report=report, mediacontact=c) for c in dict.fromkeys(contacts)
            ]
        models.Credit.objects.bulk_create(credits, batch_size=BATCH)
        speech_links.objects.bulk_create(report_speeches, batch_size=BATCH)
        contact_links.objects.bulk_create(report_contacts, batch_size=BATCH)
        self.freeze_bylines(reports)
        self.log(
            f"{len(reports)} reports, {len(credits)} credits, "
            f"{len(report_speeches)} speech links, {len(report_contacts)} contact links"
        )

    def freeze_bylines(self, reports):
        """The byline as printed at publication, as report_publish would freeze it."""
        credits = models.Credit.objects.filter(report__in=reports).select_related("person")
        by_report = {}
        for credit in credits.order_by("report", "order", "pk"):
            by_report.setdefault(credit.report_id, []).append(credit)
        for report in reports:
            report._prefetched_objects_cache = {"credits": by_report.get(report.pk, [])}
            report.published_byline = byline.snapshot(report)
        models.Report.objects.bulk_update(reports, ["published_byline"], batch_size=BATCH)


def index_in_bulk():
    """Rebuilds the search index with a few bulk inserts instead of a save per document.

    Same documents as forum.discovery.search.rebuild_index() (the same kinds, languages and texts),
    written in batches: 40,000 documents in seconds rather than minutes. Other search
    backends rebuild their own way.
    """
    from forum.discovery import search

    if not isinstance(search.get_backend(), search.DatabaseSearchBackend):
        return search.rebuild_index()
    with transaction.atomic():
        models.SearchDocument.objects.all().delete()
        for kind in search.KINDS.values():
            pending = []
            # Chunks of 500: prefetching for more exceeds SQLite's expression depth.
            for obj in kind.indexed().iterator(chunk_size=500):
                for language_code in kind.languages(obj):
                    with translation.override(language_code):
                        text = kind.text(obj, language_code)
                    if text is not None:
                        pending.append((obj.pk, language_code, text))
                if len(pending) >= BATCH:
                    _write_documents(kind, pending)
                    pending = []
            _write_documents(kind, pending)
    return models.SearchDocument.objects.count()


def _write_documents(kind, pending):
    from forum.discovery import search

    documents = models.SearchDocument.objects.bulk_create(
        models.SearchDocument(
            kind=kind.kind,
            object_id=pk,
            language=language_code,
            title=text.title[:500],
            body=text.body,
            url=text.url,
            visible_from=text.visible_from,
            kind_order=kind.kind_order,
        )
        for pk, language_code, text in pending
    )
    # Millions of term rows: plain executemany, without a model instance for each.
    table = models.SearchTerm._meta.db_table
    columns = ", ".join(
        connection.ops.quote_name(models.SearchTerm._meta.get_field(name).column)
        for name in ("document", "term", "in_title", "in_body")
    )
    # Identifiers quoted from the model; the values go as parameters.
    sql = f"INSERT INTO {connection.ops.quote_name(table)} ({columns}) VALUES (%s, %s, %s, %s)"  # noqa: S608
    rows = []
    for document in documents:
        in_title, in_body = search.index_terms(document.title), search.index_terms(document.body)
        rows += [
            (document.pk, term, in_title.get(term, 0), in_body.get(term, 0))
            for term in in_title.keys() | in_body.keys()
        ]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 20 * BATCH):
            cursor.executemany(sql, rows[start : start + 20 * BATCH])


class Command(BaseCommand):
    help = (
        "Fill the database with bulk content for benchmarks (20 editions, 2,000 sessions, "
        "10,000 reports, 5,000 media contacts at --scale 1). Never on a production database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--editions", type=int, default=20)
        parser.add_argument("--sessions", type=int, default=2000)
        parser.add_argument("--reports", type=int, default=10000)
        parser.add_argument("--contacts", type=int, default=5000)
        parser.add_argument("--people", type=int, default=3000)
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Multiplies every count (editions excepted), e.g. 0.01 for 100 reports.",
        )
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument(
            "--no-search-index",
            action="store_true",
            help="Leave the search index as it is (run rebuild_search_index later).",
        )

    def handle(self, *args, **options):
        if models.Report.objects.filter(slug_en__startswith="bulk-").exists():
            raise CommandError("Bulk content is already there; start from an empty database.")
        scale = options["scale"]

        def scaled(name):
            return max(1, round(options[name] * scale))

        started = time.monotonic()
        generator = Generator(
            editions=options["editions"],
            sessions=scaled("sessions"),
            reports=scaled("reports"),
            contacts=scaled("contacts"),
            people=max(scaled("people"), 60),
            scale=scale,
            seed=options["seed"],
            out=self.stdout,
        )
        with transaction.atomic():
            generator.run()
        self.stdout.write(f"Rows made in {time.monotonic() - started:.1f} s.")
        if not options["no_search_index"]:
            indexed = time.monotonic()
            documents = index_in_bulk()
            terms = models.SearchTerm.objects.count()
            self.stdout.write(
                f"Search index rebuilt in {time.monotonic() - indexed:.1f} s: "
                f"{documents} documents, {terms} terms."
            )
        # Fresh statistics, or SQLite's planner sorts all 10,000 reports for the home page
        # (it picks the status index, which every row matches, over published_at).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        from forum.pagecache import store as page_cache

        # Every page carries "editions" (the navigation): this empties the page cache.
        page_cache.invalidate({"editions"})
        self.stdout.write(
            self.style.SUCCESS(f"Bulk content ready in {time.monotonic() - started:.1f} s.")
        )
