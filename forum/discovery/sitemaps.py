"""The sitemaps: /sitemap.xml is an index of per-section files, /sitemap-<section>.xml?p=N.

Each public page is listed once per language it exists in, and every entry names all
language versions plus x-default. Django's own x-default points at the unprefixed path
("/reports/<slug>/"), which redirects by the reader's language and so breaks for reports,
whose slug differs per language; ours points at the English page, or the only version
there is.

At scale (sitemaps.org: at most 50,000 URLs and 50 MB per file), a file is one page of
one section, cut in the database: it loads `limit // languages` objects, and only the
columns its addresses and dates are made of, so it costs the same few queries and the same
time whatever the number of pages on the site. Django's i18n sitemaps would build every
(object, language) pair of the section to cut one page out of them.
"""

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property

from forum.core import languages
from forum.models import Edition, Person, Report, Session
from forum.reports.availability import default_language, page_languages

# URLs per file, counted as Django's i18n sitemaps count them: one per page and language.
# Far below the protocol's 50,000 URLs and 50 MB, as WordPress's 2,000: a file renders in
# about 0.2 s (docs/performance.md), and even with the longest slugs (120 characters) on the
# longest host name an entry with its three alternates takes about 2 KB, so a file 4 MB
# (tests/discovery/test_sitemaps_at_scale.py).
URLS_PER_FILE = 2_000


class SectionPaginator(Paginator):
    """A paginator told its count: the one query that counts a section's objects also finds
    their latest lastmod (PageSitemap.summary), so the index costs one query per section."""

    def __init__(self, object_list, per_page, count):
        super().__init__(object_list, per_page)
        self.count = count  # instead of Paginator's own count query


class PageSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = False  # added in get_urls(), see the module docstring
    limit = URLS_PER_FILE
    changefreq = None
    model = None  # its published() queryset lists the pages
    related = ()
    # The columns location() and lastmod() read, besides the primary key.
    fields = ("slug", "updated_at")
    # The lastmod of the section's latest page, as a database expression.
    latest = "updated_at"

    def items(self):
        # Only what the addresses need: no joins a manager adds (select_related() with no
        # field would join every foreign key).
        queryset = self.model.objects.published().select_related(None)
        if self.related:
            queryset = queryset.select_related(*self.related)
        return queryset.only(*self.fields).order_by("pk")

    @cached_property
    def summary(self):
        """The section's number of objects and their latest lastmod, in one query."""
        return self.items().aggregate(count=Count("pk"), latest=Max(self.latest))

    @cached_property
    def paginator(self):
        """Pages of objects rather than of (object, language) pairs: a page of
        limit // languages objects holds at most `limit` URLs."""
        per_page = max(1, self.limit // len(self._languages()))
        return SectionPaginator(self.items(), per_page, self.summary["count"])

    def get_languages_for_item(self, item):
        return page_languages(item)

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        """The section's latest lastmod, for the index (Django's reads every object)."""
        return self.summary["latest"]

    def get_urls(self, page=1, site=None, protocol=None):
        """One entry per object and language, each naming every version and x-default.

        Raises the paginator's PageNotAnInteger or EmptyPage for a page that does not
        exist (the sitemap view answers 404)."""
        base = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        objects = list(self.paginator.page(page).object_list)
        addresses = self._addresses(objects, base)
        urls, lastmods = [], []
        for item, by_language in zip(objects, addresses, strict=True):
            # hreflang as BCP 47 writes it (the registry tag), as the pages' heads do.
            alternates = [
                {"lang_code": languages.get(code).tag, "location": location}
                for code, location in by_language.items()
            ]
            if default := default_language(list(by_language)):
                alternates.append({"lang_code": "x-default", "location": by_language[default]})
            lastmod = self.lastmod(item)
            lastmods.append(lastmod)
            urls += [
                {
                    "item": (item, code),
                    "location": location,
                    "lastmod": lastmod,
                    "changefreq": self.changefreq,
                    "priority": "",
                    "alternates": alternates,
                }
                for code, location in by_language.items()
            ]
        if lastmods and None not in lastmods:  # the view's Last-Modified, as Django sets it
            self.latest_lastmod = max(lastmods)
        return urls

    def _addresses(self, objects, base):
        """[{language: absolute URL}] of the objects, each address made once, one language
        activated at a time."""
        found = [{} for _ in objects]
        languages = [self.get_languages_for_item(item) for item in objects]
        for code in self._languages():
            with translation.override(code):
                for index, item in enumerate(objects):
                    if code in languages[index]:
                        found[index][code] = base + self.location(item)
        return found


class StaticPageSitemap(PageSitemap):
    changefreq = "weekly"

    def items(self):
        return ["forum:home", "forum:about", "forum:report-list", "forum:person-list"]

    @cached_property
    def summary(self):
        return {"count": len(self.items()), "latest": None}

    def get_languages_for_item(self, item):
        return self._languages()

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return None


class EditionSitemap(PageSitemap):
    model = Edition


class PressSitemap(EditionSitemap):
    def location(self, item):
        return reverse("forum:press", kwargs={"edition": item.slug})


class SessionSitemap(PageSitemap):
    model = Session
    related = ("edition",)
    fields = (*PageSitemap.fields, "edition__slug")


class PersonSitemap(PageSitemap):
    model = Person


class ReportSitemap(PageSitemap):
    model = Report
    changefreq = "monthly"
    # slug: every language's column (modeltranslation); single_language: which are public.
    fields = ("slug", "single_language", "updated_at", "live_updated_at")
    latest = Coalesce("live_updated_at", "updated_at")

    def lastmod(self, item):
        return item.live_updated_at or item.updated_at


SITEMAPS = {
    "pages": StaticPageSitemap,
    "editions": EditionSitemap,
    "press": PressSitemap,
    "sessions": SessionSitemap,
    "people": PersonSitemap,
    "reports": ReportSitemap,
}
