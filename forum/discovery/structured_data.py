"""schema.org JSON-LD for public pages: NewsArticle, Event, Person and WebSite.

Builders return plain dicts in the active language; `json_ld_script()` turns one into a
`<script type="application/ld+json">` element. A strict Content-Security-Policy does not
block it: browsers never execute that type, it is data.

`absolute_url` is a callable turning a path into an absolute URL (request.build_absolute_uri).
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from forum.core import languages
from forum.programme.schedule import edition_period, location_text, session_period
from forum.reports import byline
from forum.reports.availability import url_in_language

CONTEXT = "https://schema.org"
SCHEDULED = "https://schema.org/EventScheduled"
OFFLINE = "https://schema.org/OfflineEventAttendanceMode"

# Characters that could end the <script> element or start a comment inside it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script(data):
    """The data as a JSON-LD script element, safe against `</script>` in any text."""
    if not data:
        return ""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(_SCRIPT_ESCAPES)),  # noqa: S308 (escaped just above)
    )


def _clean(data):
    """Drop empty values, so the output has no "image": "" or "author": []."""
    if isinstance(data, dict):
        cleaned = {key: _clean(value) for key, value in data.items()}
        return {key: value for key, value in cleaned.items() if value not in (None, "", [], {})}
    if isinstance(data, list):
        return [item for item in (_clean(item) for item in data) if item not in (None, "", {})]
    return data


def _datetime(value):
    return timezone.localtime(value).isoformat() if value else None


def _when(period):
    if period.all_day:
        return period.start.isoformat(), period.end.isoformat()
    return period.start.isoformat(), period.end.isoformat() if period.end else None


def organisation(org, absolute_url):
    if org is None:
        return None
    return {
        "@type": "Organization",
        "name": org.name,
        "url": org.website,
        "logo": absolute_url(org.logo.url) if org.logo else None,
    }


def person_reference(person, absolute_url):
    return {
        "@type": "Person",
        "name": person.full_name(),
        "url": absolute_url(person.get_absolute_url()) if person.is_published else None,
    }


def _place(name, city):
    return {
        "@type": "Place",
        "name": name or city,
        "address": {"@type": "PostalAddress", "addressLocality": city, "addressCountry": "CN"},
    }


def _unique(people):
    seen, unique = set(), []
    for person in people:
        if person.pk not in seen:
            seen.add(person.pk)
            unique.append(person)
    return unique


def report(report, absolute_url):
    """NewsArticle; translationOfWork / workTranslation name the other language's version."""
    language = get_language()
    url = absolute_url(report.get_absolute_url())
    data = {
        "@context": CONTEXT,
        "@type": "NewsArticle",
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "headline": report.headline,
        "description": report.summary,
        "inLanguage": language,
        "datePublished": _datetime(report.published_at),
        "dateModified": _datetime(report.live_updated_at or report.updated_at),
        "author": [
            {
                "@type": "Person",
                "name": author["name"],
                "url": absolute_url(
                    reverse("forum:person-detail", kwargs={"slug": author["slug"]})
                ),
            }
            for author in byline.authors(report)
        ],
        "publisher": organisation(report.publisher, absolute_url),
        "image": [absolute_url(report.hero_image.url)] if report.hero_image else None,
    }
    if report.session_id and report.session.is_published:
        data["about"] = {
            "@type": "Event",
            "name": report.session.title,
            "url": absolute_url(report.session.get_absolute_url()),
        }
    for code in report.available_languages():
        if code == language:
            continue
        version = {
            "@type": "NewsArticle",
            "@id": absolute_url(url_in_language(report, code)),
            "url": absolute_url(url_in_language(report, code)),
            "inLanguage": code,
            "headline": getattr(report, languages.column("headline", code)),
        }
        if code == report.original_language:
            data["translationOfWork"] = version
        else:
            data.setdefault("workTranslation", []).append(version)
    return _clean(data)


def _event(obj, *, name, description, period, place, organisers, performers, absolute_url):
    url = absolute_url(obj.get_absolute_url())
    start, end = _when(period)
    return {
        "@context": CONTEXT,
        "@type": "Event",
        "@id": url,
        "url": url,
        "name": name,
        "description": description,
        "inLanguage": get_language(),
        "startDate": start,
        "endDate": end,
        "eventStatus": SCHEDULED,
        "eventAttendanceMode": OFFLINE,
        "location": place,
        "organizer": [organisation(org, absolute_url) for org in organisers if org],
        "performer": [person_reference(person, absolute_url) for person in _unique(performers)],
    }


def edition(edition, absolute_url, sessions=()):
    """Event for an edition; its published sessions (with roles and speeches) as subEvents."""
    performers = [
        person
        for session in sessions
        for person in [role.person for role in session.roles.all()]
        + [speech.speaker for speech in session.speeches.all()]
    ]
    data = _event(
        edition,
        name=edition.title,
        description=edition.summary or edition.theme,
        period=edition_period(edition),
        place=_place(edition.venue, edition.city),
        organisers=_organisers(edition),
        performers=performers,
        absolute_url=absolute_url,
    )
    data["subEvent"] = [
        {
            "@type": "Event",
            "name": session.title,
            "url": absolute_url(session.get_absolute_url()),
            "startDate": _when(session_period(session))[0],
        }
        for session in sessions
    ]
    return _clean(data)


def session(session, absolute_url, roles=(), speeches=()):
    edition = session.edition
    data = _event(
        session,
        name=session.title,
        description=session.summary,
        period=session_period(session),
        place=_place(location_text(session.room, session.venue or edition.venue), edition.city),
        organisers=_organisers(edition),
        performers=[role.person for role in roles] + [speech.speaker for speech in speeches],
        absolute_url=absolute_url,
    )
    data["superEvent"] = {
        "@type": "Event",
        "name": edition.title,
        "url": absolute_url(edition.get_absolute_url()),
    }
    return _clean(data)


def _organisers(edition):
    organisers = [edition.organiser]
    if edition.host_id and edition.host_id != edition.organiser_id:
        organisers.append(edition.host)
    return organisers


def person(person, absolute_url):
    language = get_language()
    url = absolute_url(person.get_absolute_url())
    positions = person.current_positions()
    name = person.full_name()
    family_name, given_name = person.name_parts()
    return _clean(
        {
            "@context": CONTEXT,
            "@type": "Person",
            "@id": url,
            "url": url,
            "name": name,
            "familyName": family_name,
            "givenName": given_name,
            "honorificPrefix": person.honorific,
            # The name in the other language, unless it is the same (a name known only
            # in Latin letters is shown as given in every language).
            "alternateName": [
                other
                for code in languages.CODES
                if code != language and (other := person.full_name(code)) and other != name
            ],
            "description": person.biography,
            "image": absolute_url(person.photo.url) if person.photo else None,
            "jobTitle": [position.title for position in positions],
            "worksFor": [
                organisation(position.organisation, absolute_url)
                for position in positions
                if position.organisation
            ],
        }
    )


def website(site_name, home_url, search_url):
    """WebSite with a SearchAction, for the home page."""
    return {
        "@context": CONTEXT,
        "@type": "WebSite",
        "name": str(site_name),
        "url": home_url,
        "inLanguage": get_language(),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": f"{search_url}?q={{search_term_string}}",
            },
            "query-input": "required name=search_term_string",
        },
    }
