"""{% picture %}: a responsive <picture> of an uploaded image (renditions: forum/core/images.py).

    {% picture report.hero_image "hero" alt=report.hero_image_alt loading="eager" %}
    {% picture organisation.logo "logo" css_class="org-logo" %}  (lazy: below the fold)

WebP first, with a JPEG/PNG fallback in the <img>; srcset and sizes let the browser pick
the width; width and height (the intrinsic size) reserve the space before it loads, so the
page does not jump. Images are lazy unless they are above the fold (`loading="eager"`).
Only renditions are linked, never the upload: those of a published report or person are
public, those of a draft shown in a staff preview are served to staff only.
"""

import logging

from django import template
from django.utils.html import format_html, format_html_join

from forum.core.images import RenditionError, renditions

register = template.Library()
logger = logging.getLogger(__name__)

DEFAULT_SIZES = {
    "hero": "(min-width: 44rem) 42rem, calc(100vw - 2rem)",
    "photo": "10rem",
    "logo": "7.5rem",
}


@register.simple_tag
def picture(field_file, kind, alt="", sizes="", loading="lazy", fetchpriority="", css_class=""):
    if not field_file:
        return ""
    sizes = sizes or DEFAULT_SIZES[kind]
    # Lazy images are decoded off the main thread; the eager (hero) one as soon as it can.
    extra = {"loading": loading, "decoding": "async" if loading == "lazy" else ""}
    if fetchpriority:
        extra["fetchpriority"] = fetchpriority
    if css_class:
        extra["class"] = css_class
    attributes = format_html_join("", ' {}="{}"', ((k, v) for k, v in extra.items() if v))
    try:
        image = renditions(field_file, kind)
    except RenditionError as error:
        # Never the upload itself: it is not served to the public, and may carry metadata.
        logger.warning("No image shown: %s", error)
        return ""
    sources = format_html_join(
        "",
        '<source type="{}" srcset="{}" sizes="{}">',
        (
            (media_type, image.srcset(media_type), sizes)
            for media_type in image.sources
            if media_type != image.fallback_type
        ),
    )
    return format_html(
        '<picture>{}<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"{}>'
        "</picture>",
        sources,
        image.fallback.url,
        image.srcset(image.fallback_type),
        sizes,
        image.width,
        image.height,
        alt,
        attributes,
    )
