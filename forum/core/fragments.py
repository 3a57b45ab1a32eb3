"""What a view shows only when the page's cached fragments are missing.

A public page's body and head are cached as fragments (forum/pagecache/fragments.py,
the `{% fragment %}` tag), invalidated with the page cache's tags. The view still runs
for every request: it finds the page's object (or answers 404) with a narrow read. The
wide reads a fragment needs (related rows, prefetches, grouped lists) are given with
`defer()`: loaded once, the first time a fragment has to be rendered, and not at all when
every fragment of the page is cached.
"""

# The context entry holding the deferred reads, and the request attribute (set by the page
# cache middleware) that says this request's fragments may be cached.
CONTEXT_KEY = "deferred_page_data"
REQUEST_ATTRIBUTE = "page_fragments"


class Deferred:
    """A function of no arguments returning a dict of context entries, called at most once."""

    def __init__(self, load):
        self._load = load
        self._data = None

    def __call__(self):
        if self._data is None:
            self._data = self._load()
        return self._data


def caches_fragments(request):
    return getattr(request, REQUEST_ATTRIBUTE, None) is not None


def defer(context, request, load):
    """Adds `load()`'s entries to the context now, or when a fragment first needs them."""
    if caches_fragments(request):
        context[CONTEXT_KEY] = Deferred(load)
    else:
        context.update(load())
    return context


def narrow(queryset):
    """The queryset reading the primary key only: enough to answer 404 and to name the
    page's object in its cache tags."""
    return queryset.select_related(None).prefetch_related(None).only("pk")


class DeferredObjectMixin:
    """A DetailView that finds its object with a narrow read when the page's fragments are
    cached, and reads it whole, with what `page_extras()` adds, only when a fragment is
    rendered (with fragments not cached: at once, as usual)."""

    def get_object(self, queryset=None):
        if caches_fragments(self.request):
            queryset = narrow(self.get_queryset() if queryset is None else queryset)
        return super().get_object(queryset)

    def get_context_data(self, **kwargs):
        return defer(super().get_context_data(**kwargs), self.request, self.page_data)

    def page_data(self):
        obj = self.object
        if caches_fragments(self.request):
            obj = self.get_queryset().get(pk=obj.pk)
        return {"object": obj, self.get_context_object_name(obj): obj, **self.page_extras(obj)}

    def page_extras(self, obj):
        return {}
