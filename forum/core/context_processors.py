from django.conf import settings

from forum.core import languages


def site(request):
    # LANGUAGE_TAG: the page language as BCP 47 writes it, for lang="zh-Hant".
    return {"SITE_NAME": settings.SITE_NAME, "LANGUAGE_TAG": languages.get(languages.active()).tag}
