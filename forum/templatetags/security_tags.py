"""Template helpers for the Content-Security-Policy (settings.CONTENT_SECURITY_POLICY)."""

from django import template

register = template.Library()


@register.filter
def with_csp_nonce(media, request):
    """The form media with the request's CSP nonce on its tags.

    django-prose-editor's media (js_asset) includes an inline <script type="importmap">,
    which a nonce-less policy blocks; plain Django media has no inline code and is
    returned as it is. Reading `request.csp_nonce` adds the nonce to the response header.
    """
    nonce = getattr(request, "csp_nonce", None)
    if nonce is None or not hasattr(media, "with_nonce"):
        return media
    return media.with_nonce(str(nonce))
