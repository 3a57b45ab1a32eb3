"""vCard 3.0 validity (RFC 2426), checked by an independent validator: the `vcard` package
(Victor Engmark's strict RFC 2426 validator), not vobject, which writes our cards.

RFC 2426's grammar is written over octets: NON-ASCII is %x80-FF, in the charset of the
MIME object (UTF-8 here), and lines SHOULD NOT pass 75 octets. The validator applies that
grammar to Python characters, so it would refuse every Chinese character (U+4E00 and up
is not in %x80-FF) and count a line of Chinese as a third of its octets. It is shown each
octet of a UTF-8 character as one NON-ASCII octet instead, which is what the grammar
checks: whether the bytes are UTF-8 at all is checked when the response is decoded.
"""

import re
import warnings

from vcard.vcard_validator import VCard

# Warnings of the validator that are hints, not RFC rules:
ALLOWED_WARNINGS = re.compile(
    # it expects every folded line to be 75 octets long, but a UTF-8 character must stay
    # whole (RFC 2425 5.8.1: a line is folded between two characters), so a line of
    # Chinese is folded a little short;
    r"^Short folded line at line \d+$"
    # a name of several words ("Anna Maria", "von der Leyen") is one name, not a list.
    r"|^Possible split name \(replace space with comma\): "
)
# The last line of a card, when the next line does not continue it.
CARD_END = re.compile(r"(?<=^END:VCARD\r\n)(?! )", re.MULTILINE)


def _as_octets(text):
    return re.sub(r"[^\x00-\x7f]", lambda match: "\xa0" * len(match.group().encode()), text)


def assert_valid_vcards(text):
    """Every card of a .vcf text is valid vCard 3.0 with no warning but the hints above;
    returns the number of cards. The validator raises a VCardError naming the line at fault."""
    cards = CARD_END.split(_as_octets(text))
    assert cards[-1] == "", f"text after the last card: {cards[-1]!r}"
    for card in cards[:-1]:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            VCard(card)
        unexpected = [
            str(warning.message)
            for warning in caught
            if not ALLOWED_WARNINGS.match(str(warning.message))
        ]
        assert unexpected == [], (unexpected, card)
    return len(cards) - 1
