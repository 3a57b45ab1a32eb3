from django.conf import settings

from forum.core import languages


def site(request):
    # LANGUAGE_TAG: the page language as BCP 47 writes it, for lang="zh-Hant"; HAN_PAGE:
    # a page in Chinese characters (Chinese word order for names and titles);
    # CONVERTED_PAGE: a page in a derived language (Traditional faces in site.css).
    code = languages.active()
    return {
        "SITE_NAME": settings.SITE_NAME,
        "LANGUAGE_TAG": languages.get(code).tag,
        "HAN_PAGE": languages.writes_han(code),
        "CONVERTED_PAGE": code in languages.DERIVED,
    }
