"""/sitemap.xml: every public page in each language it exists in, with hreflang alternates.

Each page is listed once per language, and every entry names all language versions plus
x-default. Django's own x-default points at the unprefixed path ("/reports/<slug>/"),
which redirects by the reader's language and so breaks for reports, whose slug differs
per language; ours points at the English page, or the only version there is.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from forum.models import Edition, Person, Report, Session
from forum.reports.availability import default_language, page_languages


class PageSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = False  # added in get_urls(), see the module docstring
    model = None  # its published() queryset lists the pages
    related = ()

    def items(self):
        return self.model.objects.published().select_related(*self.related).order_by("pk")

    def get_languages_for_item(self, item):
        return page_languages(item)

    def lastmod(self, item):
        return item.updated_at

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            by_language = {alternate["lang_code"]: alternate for alternate in url["alternates"]}
            default = default_language(list(by_language))
            if default:
                url["alternates"].append(
                    {"lang_code": "x-default", "location": by_language[default]["location"]}
                )
        return urls


class StaticPageSitemap(PageSitemap):
    changefreq = "weekly"

    def items(self):
        return ["forum:home", "forum:about", "forum:report-list", "forum:person-list"]

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


class PersonSitemap(PageSitemap):
    model = Person


class ReportSitemap(PageSitemap):
    model = Report
    changefreq = "monthly"

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
