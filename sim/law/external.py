"""Rules from outside the Act: the provisions of other laws the model applies, quoted.

The Act relies on the Diet without defining its procedure, so a few of the model's rules rest on
other statutes.  Each such provision is registered here with the words it rests on, so that an
event's ``basis`` never credits the Act with a rule it does not contain: the lapse of a matter at
the end of a session is the Diet Act (art. 68), not the Act (docs/law.md, *Rules from outside
the Act*).

**Citation format.** An external citation reads ``<Source> art. <N>``, e.g. ``Diet Act art. 68``:
the source's name as registered (capitalised words), then ``art.`` in lower case, then the
article (``68``, ``2-3``, ``47(2)``).  The lower-case ``art.`` marks it as external at a glance
beside the Act's ``Art. 6(7)`` and the Treaty's ``Treaty Art. V``.  :mod:`sim.law.citations`
resolves every citation of this form against :data:`PROVISIONS`: one that is not registered, or
registered without quoted words, is caught by the tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sim.law.rules import register


@dataclass(frozen=True)
class ExternalProvision:
    """One provision of another law, with the words the model rests on and where they come from."""

    source: str
    """The law's short name, as citations write it: ``Diet Act``."""
    law: str
    """Its number, to tell it apart: ``Act No. 79 of 1947``."""
    article: str
    """The article as cited: ``68``."""
    words: str
    """The provision's words in English."""
    rendering: str
    """Whose English ``words`` are, and what a reader should know about them."""
    original: str
    """The provision in the original language, as read at ``url``."""
    url: str
    """Where the text was read."""

    @property
    def citation(self) -> str:
        """The form an event's ``basis`` gives: ``Diet Act art. 68``."""
        return f"{self.source} art. {self.article}"

    @property
    def title(self) -> str:
        """The source as the rules registry names it: ``Diet Act (Act No. 79 of 1947)``."""
        return f"{self.source} ({self.law})"


DIET_ACT_ART_68 = ExternalProvision(
    source="Diet Act",
    law="Act No. 79 of 1947",
    article="68",
    words=(
        "No bill which has not been passed during a session shall be carried over to the following "
        "session; provided, however, that this shall not apply to a bill, etc. which has been referred "
        "to the Committee for examination during the intersession pursuant to Article 47, paragraph (2)."
    ),
    rendering=(
        "The project's rendering.  No official English text of Article 68 could be retrieved for "
        "checking (the House of Councillors publishes an English 'The Diet Law' at "
        "https://www.sangiin.go.jp/eng/law/diet/, whose Article 68 was not readable from the sources "
        "searched).  The Japanese original reads 案件 ('matters'), wider than 'bill': a request for "
        "the Diet's approval under Art. 6(7) of the Act is such a matter.  Its proviso carries over "
        "bills examined during the intersession under Article 47(2), and also disciplinary cases "
        "(懲罰事犯の件), which the model never meets."
    ),
    original=(
        "会期中に議決に至らなかつた案件は、後会に継続しない。但し、第47条第2項の規定により閉会中審査した"
        "議案及び懲罰事犯の件は、後会に継続する。"
    ),
    url="https://ja.wikibooks.org/wiki/%E5%9B%BD%E4%BC%9A%E6%B3%95%E7%AC%AC68%E6%9D%A1",
)

PROVISIONS: dict[str, ExternalProvision] = {p.citation: p for p in (DIET_ACT_ART_68,)}
"""Every external provision the model cites, by its citation."""


class ExternalCite:
    """Named external provisions the model gives as an event's ``basis``."""

    SESSION_LAPSE = DIET_ACT_ART_68.citation
    """``Diet Act art. 68``: a matter not decided when its session closes lapses."""


_CITATION = re.compile(r"^(?P<source>[A-Z][A-Za-z]*(?: [A-Z][A-Za-z]*)*) art\. (?P<article>\d[0-9a-z()\-]*)$")


def is_external(citation: str) -> bool:
    """True if ``citation`` has the external form ``<Source> art. <N>`` (registered or not)."""
    return _CITATION.match(citation) is not None


def lookup(citation: str) -> ExternalProvision | None:
    """The registered provision a citation names, or None if it names none."""
    return PROVISIONS.get(citation)


register(
    "session_lapse",
    "Assumption, from the Diet Act rather than the Act: a request for the Diet's approval "
    "(Art. 6(7), 6(10), 6(12)) that a House has not decided when its session closes lapses, and is "
    "sought again at a later session (diet.after_lapse) or abandoned.  No referral for "
    "examination during the intersession (Diet Act art. 47(2)) is assumed; diet.carry_over: true "
    "sets the rule aside.",
    ExternalCite.SESSION_LAPSE,
    source=DIET_ACT_ART_68.title,
)
