"""Public pages, by capability; mounted under each language's prefix in cdfsite/urls.py."""

from django.urls import path
from django.views.decorators.http import require_safe

from forum.discovery import views as discovery
from forum.press import views as press
from forum.programme import views as programme
from forum.reports import feeds
from forum.reports import views as reports

app_name = "forum"

urlpatterns = [
    path("", programme.HomeView.as_view(), name="home"),
    path("about/", programme.AboutView.as_view(), name="about"),
    path("reports/", reports.ReportListView.as_view(), name="report-list"),
    path("reports/<slug:slug>/", reports.ReportDetailView.as_view(), name="report-detail"),
    path("preview/reports/<int:pk>/", reports.ReportPreviewView.as_view(), name="report-preview"),
    path("people/", programme.PersonListView.as_view(), name="person-list"),
    path("people/<slug:slug>/", programme.PersonDetailView.as_view(), name="person-detail"),
    # Search, feeds and calendars: before "<slug:edition>/".
    path("search/", discovery.search_view, name="search"),
    path("feeds/reports.atom", require_safe(feeds.AtomReportsFeed()), name="report-feed-atom"),
    path("feeds/reports.rss", require_safe(feeds.ReportsFeed()), name="report-feed-rss"),
    path(
        "<slug:edition>/calendar.ics",
        programme.edition_calendar_view,
        name="edition-calendar",
    ),
    path(
        "<slug:edition>/sessions/<slug:slug>/calendar.ics",
        programme.session_calendar_view,
        name="session-calendar",
    ),
    path("<slug:edition>/", programme.EditionDetailView.as_view(), name="edition-detail"),
    path("<slug:edition>/press/", press.PressView.as_view(), name="press"),
    path("<slug:edition>/press/contacts.vcf", press.press_list_vcard, name="press-vcards"),
    path("press/contacts/<int:pk>.vcf", press.contact_vcard, name="contact-vcard"),
    path(
        "<slug:edition>/sessions/<slug:slug>/",
        programme.SessionDetailView.as_view(),
        name="session-detail",
    ),
]
