"""People's names across scripts: which part of a name written whole is the family name,
and how a Chinese name is written in Traditional. Never used to invent a rendering in another
script (whether a text is Chinese at all: forum/core/scripts.py has_han)."""

import re
from itertools import product

from forum.core import scripts
from forum.core.scripts import HAN_CHARACTER, has_han
from forum.core.surnames import (
    AMBIGUOUS_CHARACTERS,
    AMBIGUOUS_SURNAMES,
    COMMON_SURNAMES,
    COMPOUND_SURNAME_FORMS,
    COMPOUND_SURNAMES,
    SINGLE_SURNAME_FORMS,
)

# Foreign names written in Chinese characters put a middle dot between given and family
# name: 安娜·史密斯.
MIDDLE_DOTS = re.compile(r"[\u00b7\u2022\u2027\u30fb]")


def split_name(name, family_name_first=True):
    """(family, given) of a name stored whole (a vCard's structured N, a press release).

    - In Chinese characters: family name first, always; its first character, or the
      first two for a compound surname, in either script (欧阳修 → 欧阳, 修; 司馬遷 →
      司馬, 遷). A name with a middle dot is a
      foreign one, given name first (安娜·史密斯 → 史密斯, 安娜).
    - In Latin letters: a word in capitals is the family name, as the house style
      writes it ("LI Wenhai", "Anna SMITH"). Otherwise the first word when the family
      name comes first (the house format for Chinese names: "Guo Silu" → Guo, Silu),
      else the last word with any lower-case particles before it ("Anna Smith" → Smith,
      Anna; "Ursula von der Leyen" → von der Leyen, Ursula).
    - A single word is a family name.
    """
    name = " ".join(name.split())
    if has_han(name):
        parts = [part.strip() for part in MIDDLE_DOTS.split(name) if part.strip()]
        if len(parts) > 1:
            return parts[-1], "·".join(parts[:-1])
        name = name.replace(" ", "")
        size = 2 if is_compound_surname(name[:2]) and len(name) > 2 else 1
        return name[:size], name[size:]
    words = name.split()
    if len(words) < 2:
        return name, ""
    capitals = [word for word in words if len(word) > 1 and word.isupper()]
    if capitals and len(capitals) < len(words):
        return " ".join(capitals), " ".join(word for word in words if word not in capitals)
    if family_name_first:
        return words[0], " ".join(words[1:])
    start = len(words) - 1
    while start > 1 and words[start - 1].islower():
        start -= 1
    return " ".join(words[start:]), " ".join(words[:start])


def is_chinese_name(text):
    """Whether the text can be a name in Chinese characters: two to four characters, the
    first (or the first two) a family name of forum/core/surnames.py."""
    text = (text or "").strip()
    if not 2 <= len(text) <= 4 or not all(HAN_CHARACTER.match(char) for char in text):
        return False
    if text[:2] in COMPOUND_SURNAMES:
        return len(text) >= 3
    return text[0] in COMMON_SURNAMES and len(text) <= 3


def is_compound_surname(text):
    """Whether the two characters are a compound family name, in Simplified or Traditional
    characters (司马, 司馬; a variant such as 萬俟 folds to 万俟)."""
    return text in COMPOUND_SURNAMES or scripts.fold(text) in COMPOUND_SURNAMES


def _is_surname(family):
    """Whether a family-name column holds a Chinese surname (one character, or a compound
    one), rather than a foreign family name written in Chinese characters (史密斯)."""
    return has_han(family) and (len(family) == 1 or family in COMPOUND_SURNAME_FORMS)


def traditional_surname(family, code):
    """The family name in the derived language `code` as a surname: 余 → 余, 钟 → 鍾, 欧阳
    → 歐陽 (forum/core/surnames.py); any other one character by character."""
    form = SINGLE_SURNAME_FORMS.get(family) or COMPOUND_SURNAME_FORMS.get(family)
    if form:
        return form
    return "".join(scripts.convert(character, code) for character in family)


def traditional_name(family, given, code, family_name_first=True):
    """(family, given) of a Chinese name in the derived language `code`, converted as a
    name: the family name by the surname table, the given name as a phrase of its own
    (余淼杰 → 余, 淼傑; 范恒山 → 范, 恆山). A foreign name in Chinese characters (given name
    first, 安娜·史密斯) and one in Latin letters are converted as any text."""
    family, given = family or "", given or ""
    if family_name_first and _is_surname(family):
        return traditional_surname(family, code), scripts.convert(given, code)
    return scripts.convert(family, code), scripts.convert(given, code)


def _chinese_name_parts(name):
    """(family, given) of a whole Chinese name (family name first, no middle dot, no
    space), else None."""
    name = (name or "").strip()
    if not has_han(name) or MIDDLE_DOTS.search(name) or any(c.isspace() for c in name):
        return None
    family, given = split_name(name)
    return (family, given) if _is_surname(family) else None


def traditional_full_name(name, code, family_name_first=True):
    """A name stored whole (a media contact's) in the derived language `code`: a Chinese
    name converted as a name (司马迁 → 司馬遷, 余淼杰 → 余淼傑), any other as text."""
    parts = _chinese_name_parts(name) if family_name_first else None
    if parts is None:
        return scripts.convert(name, code)
    return "".join(traditional_name(*parts, code))


def _character_forms(text, converted, table):
    """[(character, its forms)] for each character of `text` with several forms in the
    table, the converter's form first."""
    found = []
    for character, result in zip(text, converted, strict=False):
        forms = table.get(character)
        if forms and len(forms) > 1:
            found.append((character, tuple(dict.fromkeys((result, *forms)))))
    return found


# At most this many spellings are offered for one name field (three ambiguous characters
# of four forms each would be 64, none of them likely).
MAX_SPELLINGS = 24


def name_forms(family, given, code, family_name_first=True):
    """What an editor is asked about a Chinese name in the derived language `code`:
    {"family": (converted, [spellings]), "given": (…), "ambiguous": [(character, forms)]},
    and the ambiguous characters of each part ("family_ambiguous", "given_ambiguous").
    The converted spelling is first; the others swap in the other forms of the characters
    that have several (于 → 于 or 於; 发 → 發 or 髮). No other character is ever changed."""
    converted_family, converted_given = traditional_name(family, given, code, family_name_first)
    surname = family_name_first and _is_surname(family or "")
    family_forms = (
        _character_forms(family, converted_family, AMBIGUOUS_SURNAMES)
        if surname and len(family) == 1
        else []
    )
    given_forms = _character_forms(given or "", converted_given, AMBIGUOUS_CHARACTERS)
    return {
        "family": (converted_family, _spellings(family, converted_family, dict(family_forms))),
        "given": (converted_given, _spellings(given or "", converted_given, dict(given_forms))),
        "ambiguous": [*family_forms, *given_forms],
        "family_ambiguous": family_forms,
        "given_ambiguous": given_forms,
    }


def _spellings(text, converted, forms):
    """Every spelling of `converted` with the characters of `forms` replaced by each of
    their forms, the converted one first (at most MAX_SPELLINGS)."""
    if not forms or len(text) != len(converted):
        return [converted] if converted else []
    choices = [forms.get(source, (result,)) for source, result in zip(text, converted, strict=True)]
    spellings = []
    for combination in product(*choices):
        spellings.append("".join(combination))
        if len(spellings) >= MAX_SPELLINGS:
            break
    return spellings


def whole_name_forms(name, code, family_name_first=True):
    """name_forms() of a name stored whole: {"name": (converted, [spellings]), "ambiguous":
    [(character, forms)]}."""
    parts = _chinese_name_parts(name) if family_name_first else None
    if parts is None:
        converted = scripts.convert(name, code)
        return {"name": (converted, [converted] if converted else []), "ambiguous": []}
    forms = name_forms(*parts, code)
    family_converted, family_spellings = forms["family"]
    given_converted, given_spellings = forms["given"]
    spellings = [family + given for family, given in product(family_spellings, given_spellings)]
    return {
        "name": (family_converted + given_converted, spellings[:MAX_SPELLINGS]),
        "ambiguous": forms["ambiguous"],
    }
