from django.urls import path

from . import feeds, press_views, syndication_views, views

app_name = "forum"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("about/", views.AboutView.as_view(), name="about"),
    path("reports/", views.ReportListView.as_view(), name="report-list"),
    path("reports/<slug:slug>/", views.ReportDetailView.as_view(), name="report-detail"),
    path("preview/reports/<int:pk>/", views.ReportPreviewView.as_view(), name="report-preview"),
    path("people/", views.PersonListView.as_view(), name="person-list"),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person-detail"),
    # Discovery and syndication (search, feeds, calendars): before "<slug:edition>/".
    path("search/", syndication_views.search_view, name="search"),
    path("feeds/reports.atom", feeds.AtomReportsFeed(), name="report-feed-atom"),
    path("feeds/reports.rss", feeds.ReportsFeed(), name="report-feed-rss"),
    path(
        "<slug:edition>/calendar.ics",
        syndication_views.edition_calendar_view,
        name="edition-calendar",
    ),
    path(
        "<slug:edition>/sessions/<slug:slug>/calendar.ics",
        syndication_views.session_calendar_view,
        name="session-calendar",
    ),
    path("<slug:edition>/", views.EditionDetailView.as_view(), name="edition-detail"),
    path("<slug:edition>/press/", views.PressView.as_view(), name="press"),
    path(
        "<slug:edition>/press/contacts.vcf", press_views.press_list_vcard, name="press-vcards"
    ),
    path("press/contacts/<int:pk>.vcf", press_views.contact_vcard, name="contact-vcard"),
    path(
        "<slug:edition>/sessions/<slug:slug>/",
        views.SessionDetailView.as_view(),
        name="session-detail",
    ),
]
