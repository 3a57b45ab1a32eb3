from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("editions", views.EditionViewSet, basename="edition")
router.register("sessions", views.SessionViewSet, basename="session")
router.register("speeches", views.SpeechViewSet, basename="speech")
router.register("people", views.PersonViewSet, basename="person")
router.register("reports", views.ReportViewSet, basename="report")
router.register("media-contacts", views.MediaContactViewSet, basename="media-contact")

app_name = "api"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="api:docs", permanent=False)),
    path("v1/", include(router.urls)),
    # Any other address ending in a slash (and holding any character, a newline too):
    # /api/v1/reports still redirects to /api/v1/reports/.
    re_path(r"^v1/[\s\S]*/$", views.NoSuchAddress.as_view()),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI from drf-spectacular-sidecar's files in our static (no CDN, no web fonts;
    # drf-spectacular's Redoc page loads Google Fonts, so it is left out).
    path("docs/", views.DocsView.as_view(url_name="api:schema"), name="docs"),
]
