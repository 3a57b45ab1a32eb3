"""Phone numbers: parsed and stored in E.164 with `phonenumbers`, shown per language.

The extension is always kept in its own field: "64255855-8014" is the Beijing number
+86 10 6425 5855 with extension 8014.
"""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from forum.core import languages

DEFAULT_REGION = "CN"
# Numbers written without an area code in Chinese releases are Beijing landlines.
DEFAULT_AREA_CODE = "10"
EXTENSION_PATTERN = re.compile(r"\s*(?:-|ext\.?|extension|x|转|分机)\s*(\d{1,6})\s*$", re.I)


def split_extension(raw):
    """Split "64255855-8014", "64255855 ext. 8014" or "64255855转8014" into (number, "8014")."""
    raw = (raw or "").strip()
    match = EXTENSION_PATTERN.search(raw)
    if not match:
        return raw, ""
    number, extension = raw[: match.start()].strip(), match.group(1)
    # A trailing "-8168" is an extension only if the whole is not itself a valid
    # number ("186-6602-8168" is a mobile) and what precedes it is.
    hyphenated = match.group(0).strip().startswith("-")
    if hyphenated and (_is_valid(raw) or not _is_valid(number)):
        return raw, ""
    return number, extension


def _is_valid(raw):
    try:
        normalise_phone(raw)
    except ValidationError:
        return False
    return True


def normalise_phone(raw, region=DEFAULT_REGION):
    """Return the number in E.164 ("+861064255855"), or raise ValidationError."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    digits = re.sub(r"[^\d+]", "", raw)
    # An 8-digit local number in a Chinese release is a Beijing landline.
    if region == "CN" and not digits.startswith(("+", "0", "1")) and len(digits) == 8:
        raw = f"0{DEFAULT_AREA_CODE}{digits}"
    elif region == "CN" and digits.startswith("86") and len(digits) > 11:
        raw = f"+{digits}"
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(
            _("“%(value)s” is not a phone number."), code="invalid", params={"value": raw}
        ) from error
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("“%(value)s” is not a valid phone number."), code="invalid", params={"value": raw}
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164, extension="", language_code="en"):
    """International style on English pages, national style on Chinese pages."""
    if not e164:
        return ""
    number = phonenumbers.parse(e164, None)
    if languages.writes_han(language_code) and number.country_code == 86:
        text = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        with translation.override(language_code):
            # 转 on the mainland, 分機 in Taiwan (the Traditional catalogue's word).
            word = pgettext("telephone extension, before its number", "ext.")
        return f"{text} {word} {extension}" if extension else text
    text = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return f"{text} ext. {extension}" if extension else text


def tel_uri(e164, extension=""):
    """A tel: URI that phones dial, extension included (RFC 3966)."""
    if not e164:
        return ""
    return f"tel:{e164};ext={extension}" if extension else f"tel:{e164}"
