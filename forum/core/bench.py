"""The benchmark's floor: the fastest a Django view can answer through our middleware.

Mounted at /bench/floor/ only when settings.BENCH_FLOOR_VIEW is on (`make bench` sets it).
"""

from django.http import HttpResponse

_ROW = "<p>China Development Forum · 中国发展高层论坛 · constant benchmark page.</p>\n"
FLOOR_PAGE = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>floor</title></head>"
    "<body>\n" + _ROW * (30 * 1024 // len(_ROW.encode())) + "</body></html>\n"
).encode()


def floor_view(request):
    """A constant page of about 30 KB, with no database or template work."""
    return HttpResponse(FLOOR_PAGE, content_type="text/html; charset=utf-8")
