"""What the import tests share: the seed release, its draft, and an author."""

import copy
from functools import cache
from pathlib import Path

from forum.core import roles
from forum.releases.parser import parse_release
from tests.factories import user_in

# A copy of the seed press release (000_1abdb6114702b570.txt), as the editors received it.
SEED = Path(__file__).with_name("seed_release.txt")


def seed_text():
    return SEED.read_text(encoding="utf-8")


@cache
def _seed_draft():
    return parse_release(seed_text())


def seed_draft():
    """The parsed seed release: a fresh copy each time, for a test to change."""
    return copy.deepcopy(_seed_draft())


def author(**options):
    return user_in(roles.AUTHORS, **options)


def editor(**options):
    """An importer whose role may add what a release names (programme data, contacts)."""
    return user_in(roles.EDITORS, **options)


# The Chinese twin of the seed, written from the demo content's Chinese text; names known
# only in Latin letters (the credits, the media contacts) stay in Latin letters.
SEED_ZH = Path(__file__).with_name("seed_release_zh.txt")
# A fictional Chinese release: two speakers joined by 、, a byline and a contact with 转.
ZH_TWO_SPEAKERS = Path(__file__).with_name("releases") / "zh_two_speakers.txt"


def seed_zh_text():
    return SEED_ZH.read_text(encoding="utf-8")
