"""schema.org JSON-LD for public pages: NewsArticle, Event, Person, WebSite, Organization
(about and press pages, with the press page's ContactPoints) and ItemList (list pages).
One builder per type: `organization()` makes every Organization, nested or not.

Builders return plain dicts in the active language; `json_ld_script()` turns one into a
`<script type="application/ld+json">` element. A strict Content-Security-Policy does not
block it: browsers never execute that type, it is data.

`absolute_url` is a callable turning a path into an absolute URL (request.build_absolute_uri).
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from forum.core import images, languages
from forum.core.spoken_languages import SpokenLanguage
from forum.discovery import share_image
from forum.programme.schedule import edition_period, location_text, session_period
from forum.reports import byline
from forum.reports.availability import url_in_language

CONTEXT = "https://schema.org"
SCHEDULED = "https://schema.org/EventScheduled"
OFFLINE = "https://schema.org/OfflineEventAttendanceMode"

# Characters that could end the <script> element or start a comment inside it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _tag(code):
    """BCP 47 as schema.org's inLanguage wants it (the registry's tag)."""
    return languages.get(code).tag


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
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _when(period):
    if period.all_day:
        return period.start.isoformat(), period.end.isoformat()
    return period.start.isoformat(), period.end.isoformat() if period.end else None


def image_url(field_file, absolute_url):
    """The absolute address of an image's largest public rendition, or None: never the
    upload itself, nothing while its owner is not public (forum/core/images.py)."""
    url = images.public_url(field_file)
    return absolute_url(url) if url else None


def share_image_url(edition, absolute_url):
    """The absolute address of the edition's share image (share_image.py), or None."""
    shared = share_image.for_edition(edition)
    return absolute_url(shared.url) if shared else None


def organization(name, url=None, logo=None, *, alternate_name=None, contact_points=()):
    """An Organization: its name in the active language, address, logo, contact points."""
    return {
        "@type": "Organization",
        "name": name,
        "alternateName": alternate_name,
        "url": url,
        "logo": logo,
        "contactPoint": [point for point in contact_points if point],
    }


def organisation(org, absolute_url):
    """The Organization of an organisation record (organisers, publishers, employers)."""
    if org is None:
        return None
    # In the page's language, else as named elsewhere (never a blank Organization).
    return organization(
        org.name_in(languages.active()), org.website, image_url(org.logo, absolute_url)
    )


def _telephone(number, extension=""):
    return f"{number} ext. {extension}" if number and extension else number


def office_contact_point(org):
    """A press office's ContactPoint: what the press page prints of the organisation."""
    if org is None:
        return None
    return {
        "@type": "ContactPoint",
        "contactType": "press office",
        "name": org.name_in(languages.active()),
        "telephone": _telephone(org.phone, org.phone_extension),
        "faxNumber": _telephone(org.fax, org.fax_extension),
        "email": org.email,
        "url": org.website,
    }


def contact_point(contact):
    """A media contact's ContactPoint from its public details only
    (MediaContact.public_details()): nothing for a private contact, no private number."""
    details = contact.public_details()
    if not details:
        return None
    language = get_language()
    spoken = dict(SpokenLanguage.choices)
    return {
        "@type": "ContactPoint",
        "contactType": "media relations",
        "name": contact.text_in(details, "name", language),
        "description": contact.text_in(details, "job_title", language),
        "telephone": _telephone(details.get("office_phone"), details.get("office_extension", ""))
        or details.get("mobile"),
        "faxNumber": details.get("fax"),
        "email": details.get("email"),
        "availableLanguage": [str(spoken.get(code, code)) for code in details.get("languages", ())],
    }


def forum_organization(forum, absolute_url, logo_url=None, contact_points=()):
    """The forum as an Organization, for the about page and (with its press office and
    media contacts as contact points) the press page; the site's name without a forum."""
    return _clean(
        {
            "@context": CONTEXT,
            **organization(
                forum.name if forum else str(settings.SITE_NAME),
                absolute_url(reverse("forum:home")),
                absolute_url(logo_url) if logo_url else None,
                alternate_name=forum.short_name if forum else None,
                contact_points=contact_points,
            ),
        }
    )


def _item_name(obj):
    if hasattr(obj, "full_name"):
        return obj.full_name()
    return getattr(obj, "headline", None) or obj.title


def item_list(items, absolute_url, name=None, first_position=1):
    """An ItemList of the pages a list page links to, in its order (`first_position`: the
    position of the first on this page of the list)."""
    return _clean(
        {
            "@context": CONTEXT,
            "@type": "ItemList",
            "name": str(name) if name else None,
            "itemListElement": [
                {
                    "@type": "ListItem",
                    "position": first_position + index,
                    "url": absolute_url(item.get_absolute_url()),
                    "name": _item_name(item),
                }
                for index, item in enumerate(items)
            ],
        }
    )


def person_reference(person, absolute_url):
    return {
        "@type": "Person",
        "name": person.full_name(),
        "url": absolute_url(person.get_absolute_url()) if person.is_public else None,
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
        "inLanguage": _tag(language),
        "datePublished": _datetime(report.published_at),
        "dateModified": _datetime(report.live_updated_at or report.updated_at),
        "author": [
            {
                "@type": "Person",
                "name": author["name"],
                # No address for an author whose page is not public (byline.py).
                "url": absolute_url(reverse("forum:person-detail", kwargs={"slug": author["slug"]}))
                if author["slug"]
                else None,
            }
            for author in byline.authors(report)
        ],
        "publisher": organisation(report.publisher, absolute_url),
        # Google wants an image with every article: the edition's when it has none.
        "image": [
            image_url(report.hero_image, absolute_url)
            or share_image_url(report.edition, absolute_url)
        ],
    }
    if report.session_id and report.session.is_public:
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
            "inLanguage": _tag(code),
            "headline": getattr(report, languages.column("headline", code)),
        }
        if code == report.original_language:
            data["translationOfWork"] = version
        else:
            data.setdefault("workTranslation", []).append(version)
    return _clean(data)


def _event(obj, *, edition, name, description, period, place, performers, absolute_url):
    """An Event with everything Google asks of one, whether on its own page or nested in
    another (an edition's sessions): dates, status, attendance, place, organiser, image."""
    url = absolute_url(obj.get_absolute_url())
    start, end = _when(period)
    return {
        "@type": "Event",
        "@id": url,
        "url": url,
        "name": name,
        "description": description,
        "inLanguage": _tag(get_language()),
        "startDate": start,
        "endDate": end,
        "eventStatus": SCHEDULED,
        "eventAttendanceMode": OFFLINE,
        "location": place,
        "image": [share_image_url(edition, absolute_url)],
        "organizer": [organisation(org, absolute_url) for org in _organisers(edition)],
        "performer": [person_reference(person, absolute_url) for person in _unique(performers)],
    }


def _people(roles, speeches):
    return [role.person for role in roles] + [speech.speaker for speech in speeches]


def _session_event(session, absolute_url, roles, speeches, edition):
    return _event(
        session,
        edition=edition,
        name=session.title,
        description=session.summary,
        period=session_period(session),
        place=_place(location_text(session.room, session.venue or edition.venue), edition.city),
        performers=_people(roles, speeches),
        absolute_url=absolute_url,
    )


def edition(edition, absolute_url, sessions=()):
    """Event for an edition; its published sessions (with roles and speeches), each a
    complete Event, as subEvents."""
    data = _event(
        edition,
        edition=edition,
        name=edition.title,
        description=edition.summary or edition.theme,
        period=edition_period(edition),
        place=_place(edition.venue, edition.city),
        performers=[
            person
            for session in sessions
            for person in _people(session.roles.all(), session.speeches.all())
        ],
        absolute_url=absolute_url,
    )
    # This edition rather than each session's copy of it: its organisers are loaded once.
    data["subEvent"] = [
        _session_event(session, absolute_url, session.roles.all(), session.speeches.all(), edition)
        for session in sessions
    ]
    return _clean({"@context": CONTEXT, **data})


def session(session, absolute_url, roles=(), speeches=()):
    edition = session.edition
    data = _session_event(session, absolute_url, roles, speeches, edition)
    data["superEvent"] = {
        "@type": "Event",
        "name": edition.title,
        "url": absolute_url(edition.get_absolute_url()),
    }
    return _clean({"@context": CONTEXT, **data})


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
            # The name in the other languages, each once and unless it is the same (a
            # name known only in Latin letters is shown as given in every language).
            "alternateName": list(
                dict.fromkeys(
                    other
                    for code in languages.CODES
                    if code != language and (other := person.full_name(code)) and other != name
                )
            ),
            "description": person.biography,
            "image": image_url(person.photo, absolute_url),
            # The titles in the page's language (as Position.label falls back); their
            # organisations, named in the page's language, are worksFor's.
            "jobTitle": [position.title_in(languages.active()) for position in positions],
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
        "inLanguage": _tag(get_language()),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": f"{search_url}?q={{search_term_string}}",
            },
            "query-input": "required name=search_term_string",
        },
    }
