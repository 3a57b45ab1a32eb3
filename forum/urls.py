from django.urls import path

from . import views

app_name = "forum"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("about/", views.AboutView.as_view(), name="about"),
    path("reports/", views.ReportListView.as_view(), name="report-list"),
    path("reports/<slug:slug>/", views.ReportDetailView.as_view(), name="report-detail"),
    path("people/", views.PersonListView.as_view(), name="person-list"),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("<slug:edition>/", views.EditionDetailView.as_view(), name="edition-detail"),
    path("<slug:edition>/press/", views.PressView.as_view(), name="press"),
    path(
        "<slug:edition>/sessions/<slug:slug>/",
        views.SessionDetailView.as_view(),
        name="session-detail",
    ),
]
