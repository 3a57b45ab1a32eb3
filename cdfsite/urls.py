from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.views.decorators.http import require_safe

from forum.core.admin import view_on_site
from forum.core.security import PasswordResetView, serve_media
from forum.discovery.sitemaps import SITEMAPS
from forum.discovery.views import robots_txt

# A database that does not answer gets a plain bilingual 503 page, whatever raised
# (forum/core/outage.py); any other error Django's 500 page (templates/500.html).
handler500 = "forum.core.outage.server_error"

urlpatterns = [
    # The admin's "Forgotten your password?": a link by e-mail (before admin.site.urls,
    # whose catch-all would take admin/password_reset/), built from SITE_URL and rate-limited
    # (forum/core/security.py). Templates: templates/registration/ and the admin's.
    path(
        "admin/password_reset/",
        PasswordResetView.as_view(extra_email_context={"site_name": settings.SITE_NAME}),
        name="admin_password_reset",
    ),
    path(
        "admin/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "admin/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "admin/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # "View on site" only for what the user may open in the admin (before the admin's own).
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
        name="view_on_site",
    ),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # Language-neutral addresses: the sitemaps list both languages, the API returns both.
    # /sitemap.xml is the index of every page of every section (/sitemap-reports.xml?p=2).
    path(
        "sitemap.xml",
        require_safe(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        require_safe(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("api/", include("forum.api.urls")),
]

urlpatterns += i18n_patterns(
    path("", include("forum.urls")),
    prefix_default_language=True,
)

# Images from MEDIA_ROOT, with a safe type (forum/core/security.py): the renditions of public
# content with SERVE_MEDIA (in production the proxy serves them), and always, to staff only,
# the uploads and the renditions of unpublished content (previews, behind the proxy too).
urlpatterns.append(re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$", serve_media))

if settings.BENCH_FLOOR_VIEW:
    from forum.core.bench import floor_view

    urlpatterns.append(path("bench/floor/", floor_view))
