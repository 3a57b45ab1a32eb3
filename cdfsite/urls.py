from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.urls import include, path

from forum.discovery.sitemaps import SITEMAPS
from forum.discovery.views import robots_txt

urlpatterns = [
    # The admin's "Forgotten your password?": a link by e-mail (before admin.site.urls,
    # whose catch-all would take admin/password_reset/). Templates: templates/registration/.
    path(
        "admin/password_reset/",
        auth_views.PasswordResetView.as_view(extra_email_context={"site_name": settings.SITE_NAME}),
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
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # Language-neutral addresses: the sitemap lists both languages, the API returns both.
    path("sitemap.xml", sitemap_view, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("api/", include("forum.api.urls")),
]

urlpatterns += i18n_patterns(
    path("", include("forum.urls")),
    prefix_default_language=True,
)

if settings.SERVE_MEDIA:
    # Uploads and image renditions, images only and with a safe type (forum/core/security.py);
    # in production the proxy serves /media/ instead.
    from django.urls import re_path

    from forum.core.security import serve_media

    urlpatterns.append(re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$", serve_media))

if settings.BENCH_FLOOR_VIEW:
    from forum.core.bench import floor_view

    urlpatterns.append(path("bench/floor/", floor_view))
