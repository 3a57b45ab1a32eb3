from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.urls import include, path

from forum.sitemaps import SITEMAPS
from forum.syndication_views import robots_txt

urlpatterns = [
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
    # Uploads and image renditions; in production the proxy serves /media/ instead.
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns.append(
        re_path(
            rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    )

if settings.BENCH_FLOOR_VIEW:
    from forum.bench_views import floor_view

    urlpatterns.append(path("bench/floor/", floor_view))
