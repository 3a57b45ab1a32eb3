"""Atom and RSS feeds of published reports, one pair per language (/<code>/feeds/…).

The feed's language is the URL's: Django's feed classes take it from the active language
(RSS <language>, Atom xml:lang). Items carry the report's whole standfirst, not an excerpt.
The feed's own author is the forum, named in the feed's language: an Atom entry without
an author of its own (a report with no credited author) takes the feed's (RFC 4287,
4.1.1), so the feed stays valid.
"""

import html
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language, gettext, pgettext

from forum.models import Report
from forum.reports import byline

FEED_LENGTH = 50


class ReportsFeed(Feed):
    """RSS 2.0."""

    def title(self):
        return gettext("%(site_name)s: reports") % {"site_name": settings.SITE_NAME}

    def description(self):
        return gettext("Reports on the speeches and sessions of the China Development Forum.")

    subtitle = description  # Atom's name for it

    def link(self):
        return reverse("forum:report-list")

    def author_name(self):
        # The site's name, the forum's in each language (as in the title): no query.
        return str(settings.SITE_NAME)

    def feed_guid(self):
        return f"{_tag_base()}:reports:{get_language()}"

    def items(self):
        return (
            Report.objects.public()
            .select_related("edition__forum", "session")
            .prefetch_related("credits__person")
            .order_by("-published_at", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, report):
        return report.headline

    def item_description(self, report):
        # RSS descriptions and Atom summaries (type="html") are HTML to feed readers: the
        # plain-text summary is escaped so that markup in it is shown, never run.
        return html.escape(report.summary or "", quote=False)

    def item_link(self, report):
        return report.get_absolute_url()

    def item_guid(self, report):
        # Stays the same when a slug is corrected; one per language version.
        return f"{_tag_base()}:report-{report.pk}:{get_language()}"

    item_guid_is_permalink = False

    def item_pubdate(self, report):
        return report.published_at

    def item_updateddate(self, report):
        return report.live_updated_at or report.updated_at

    def item_author_name(self, report):
        authors = byline.authors(report)
        return pgettext("list of names", ", ").join(author["name"] for author in authors) or None

    def item_categories(self, report):
        return [
            title
            for title in (report.edition.title, report.session and report.session.title)
            if title
        ]


class AtomReportsFeed(ReportsFeed):
    feed_type = Atom1Feed


def _tag_base():
    """A tag: URI base (RFC 4151) from SITE_URL, so identifiers survive host changes."""
    host = urlsplit(settings.SITE_URL).hostname or "cdf.invalid"
    return f"tag:{host},2024"
