"""One citation mechanism for every text the simulator applies.

Four kinds of citation, each checked against the text it names:

* ``Art. 6(13)(ix)`` — Act No. 79 of 1992, resolved in the J-STATUTE XML (:mod:`sim.law.statute`);
* ``Treaty Art. V`` — the 1960 Treaty of Mutual Cooperation and Security, whose ten articles are
  the ``ARTICLE`` headings of ``us_japan_security_treaty_1960.md``;
* ``Guidelines "…"`` — the defence-cooperation guidelines.  The shipped text numbers almost
  nothing (its few ``(a)``, ``(b)``, ``c)`` markers repeat), so a guidelines citation quotes the
  words it rests on, and the check is that those words are in the text;
* ``Diet Act art. 68`` — a provision of another law (lower-case ``art.``), resolved in the
  registry of :mod:`sim.law.external`, which quotes its words: an external citation that is not
  registered, or registered without words, does not exist;
* ``Art. 18 [1992 text]`` — a provision of an earlier text of the Act, in that text's numbering,
  resolved in the quotations of :mod:`sim.law.earlier_texts` (:mod:`sim.law.versions`).

An event's ``basis`` may join several citations with ``"; "`` (a recall rests on the plan change
of Art. 6(13) read with Art. 6(6)); :func:`parts` splits them.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from sim.law import earlier_texts, external, statute

SEPARATOR = "; "
_TREATY = re.compile(r"^Treaty Art\. ([IVX]+)$")
_GUIDELINES = re.compile(r'^Guidelines "(.+)"$')
_EARLIER = re.compile(r"^(?P<citation>Art\. .+|Suppl\. Art\. \d+) \[(?P<tag>\d{4} text)\]$")
_TREATY_HEADING = re.compile(r"^#+\s*\**ARTICLE ([IVX]+)\**\s*$", re.MULTILINE)


def parts(basis: str) -> list[str]:
    """The citations a basis joins with ``"; "`` (an empty basis has none)."""
    return [part for part in basis.split(SEPARATOR) if part]


def join(*citations: str) -> str:
    """One basis resting on several citations."""
    return SEPARATOR.join(citations)


def _read(name: str) -> str:
    return resources.files("sim.data").joinpath(name).read_text(encoding="utf-8")


@cache
def treaty_articles() -> dict[str, str]:
    """The Treaty's articles by roman numeral, each with its own text."""
    text = _read("us_japan_security_treaty_1960.md")
    heads = list(_TREATY_HEADING.finditer(text))
    ends = [h.start() for h in heads[1:]] + [text.find("IN WITNESS WHEREOF")]
    return {h[1]: " ".join(text[h.end() : end].split()) for h, end in zip(heads, ends, strict=True)}


def _normalise(text: str) -> str:
    return " ".join(text.replace("`", "'").lower().split())


@cache
def guidelines_text() -> str:
    """The guidelines as shipped, in one line of lower-case words (for quoting)."""
    return _normalise(_read("us_japan_defense_cooperation_guidelines.txt"))


def exists(citation: str) -> bool:
    """True if the citation names a provision (or quotes words) present in its text."""
    if match := _TREATY.match(citation):
        return match[1] in treaty_articles()
    if match := _GUIDELINES.match(citation):
        return _normalise(match[1]) in guidelines_text()
    if external.is_external(citation):
        provision = external.lookup(citation)
        return provision is not None and bool(provision.words.strip())
    if match := _EARLIER.match(citation):
        earlier = earlier_texts.lookup(match["tag"], match["citation"])
        return earlier is not None and bool(earlier.original.strip() and earlier.words.strip())
    try:
        return statute.exists(citation)
    except ValueError:
        return False


def text(citation: str) -> str:
    """The words a citation rests on: the provision's sentences, or the quoted passage."""
    if match := _TREATY.match(citation):
        return treaty_articles()[match[1]]
    if match := _GUIDELINES.match(citation):
        return match[1]
    if external.is_external(citation):
        provision = external.lookup(citation)
        if provision is None:
            raise KeyError(f"no such external provision in sim.law.external: {citation}")
        return provision.words
    if match := _EARLIER.match(citation):
        earlier = earlier_texts.lookup(match["tag"], match["citation"])
        if earlier is None:
            raise KeyError(f"no such provision in the {match['tag']} (sim.law.earlier_texts): {match['citation']}")
        return earlier.words
    return statute.provision_text(citation)
