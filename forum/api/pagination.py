"""Pages of the API's lists."""

from rest_framework.pagination import PageNumberPagination

from .parameters import WholeNumber, read_all


class Pagination(PageNumberPagination):
    """?page=N, 20 items a page by default, ?page_size= from 1 to 100.

    A page number or size that is not a whole number in range is a 400 naming it, where DRF
    answers 404 for the page and quietly takes the default size; a page past the last one
    is still DRF's 404 ("Invalid page.").
    """

    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"
    # No ?page=last: the page is a number, as documented.
    last_page_strings = ()

    page_parameter = WholeNumber(
        "page", "A page of the list, from 1; past the last page is a 404.", minimum=1
    )
    page_size_parameter = WholeNumber(
        "page_size", f"Items a page, {page_size} unless given.", minimum=1, maximum=max_page_size
    )

    def paginate_queryset(self, queryset, request, view=None):
        # Both checked before DRF reads either, so that one 400 names both.
        self.requested_size, self.requested_page = read_all(
            request, self.page_size_parameter, self.page_parameter
        )
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request):
        return self.requested_size or self.page_size

    def get_page_number(self, request, paginator):
        return self.requested_page or 1

    def get_schema_operation_parameters(self, view):
        return [self.page_parameter.openapi(), self.page_size_parameter.openapi()]
