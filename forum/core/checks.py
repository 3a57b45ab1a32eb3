"""Start-up checks of the language model (`manage.py check` and every server start).

Editors write exactly two languages (English and Simplified Chinese) and every other
language is derived from one of them (Traditional from Simplified). Code that pairs the
two written languages rather than looping over any number:

- forum/core/languages.py: `keyed()` and `spread()` take the texts as a pair;
- forum/reports/freshness.py: the sync record is a pair, `_other()` the one counterpart;
- forum/core/admin.py, static/js/bilingual-columns.js and templates/admin/change_form.html:
  the side-by-side editor has two columns;
- forum/reports/desk.py: the translation queue lists freshness's missing and outdated
  pairs;
- forum/releases/parser.py: a press release holds an English and a Chinese part;
- forum/reports/views.py and templates/forum/report_unavailable.html: a report missing in
  one language is "published in English only" or "in Chinese only";
- forum/api/serializers.py and forum/management/commands/generate_bulk_content.py: example
  and bulk texts given as pairs;
- tools/ (bench, desk_task, loadtest, outages, two_instances, check_backup_restore): the
  operator's scripts work in English and Chinese.

A third written language, or a derived language whose source is not written, would break
these quietly; the check stops the site at start-up instead.
"""

from django.conf import settings
from django.core.checks import Error, register

from forum.core import languages

WRITTEN_LANGUAGES = 2


@register()
def check_language_model(app_configs=None, **kwargs):
    codes = [code for code, _name in settings.LANGUAGES]
    if unknown := [code for code in codes if not languages.is_described(code)]:
        return [
            Error(
                f"settings.LANGUAGES has languages the registry does not describe: {unknown}.",
                hint="Add an entry for each to _DETAILS in forum/core/languages.py.",
                id="forum.E003",
            )
        ]
    written, derived = languages.language_model(codes)
    errors = []
    if len(written) != WRITTEN_LANGUAGES:
        errors.append(
            Error(
                f"Editors must write exactly {WRITTEN_LANGUAGES} languages; settings.LANGUAGES "
                f"has {len(written)} that are not derived: {list(written)}.",
                hint="The side-by-side editor, translation freshness and the translation "
                "queue pair two written languages: see forum/core/checks.py for the code "
                "that must change first.",
                id="forum.E001",
            )
        )
    for code, source in derived.items():
        if source not in written:
            errors.append(
                Error(
                    f"{code} is derived from {source}, which is not a written language of "
                    f"the site ({list(written)}).",
                    hint="Add its source to settings.LANGUAGES or change derived_from in "
                    "forum/core/languages.py.",
                    id="forum.E002",
                )
            )
    return errors
