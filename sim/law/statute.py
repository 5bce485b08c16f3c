"""The statute text shipped with the package, and citations checked against it.

The rulebook cites the Act as ``Art. A(P)(I)(s)``: article, paragraph (arabic), item (roman),
sub-item (letter) and, rarely, a second-level sub-item (arabic).  Article 3 has a single
paragraph, so ``Art. 3(v)(g)`` means Article 3, paragraph 1, item (v), sub-item (g), as the
official translation itself writes it.  Every citation is resolved against the J-STATUTE XML
(``sim/data/pko_act_en.xml``), where each provision carries a ``Num`` attribute, so that a
citation naming a provision that does not exist is caught by a test rather than by a reader.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from importlib import resources

_ROMAN = {
    "i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10,
    "xi": 11, "xii": 12, "xiii": 13, "xiv": 14, "xv": 15, "xvi": 16, "xvii": 17, "xviii": 18,
    "xix": 19, "xx": 20,
}  # fmt: skip
_CITATION = re.compile(r"^Art\. (\d+)((?:\([0-9a-z]+\))*)$")
_GROUP = re.compile(r"\(([0-9a-z]+)\)")


@dataclass(frozen=True)
class Citation:
    """One provision of the Act, located by the ``Num`` attributes of the XML."""

    article: int
    paragraph: int | None = None
    item: int | None = None
    subitem: int | None = None
    subitem2: int | None = None


def parse_citation(text: str) -> Citation:
    """Parse ``Art. 6(13)(ix)`` into its numbered parts; raise ValueError if malformed."""
    match = _CITATION.match(text.strip())
    if not match:
        raise ValueError(f"not a citation of the form 'Art. N(P)(i)(a)': {text!r}")
    parts: dict[str, int] = {"article": int(match.group(1))}
    for group in _GROUP.findall(match.group(2)):
        if "paragraph" not in parts:
            if group.isdigit():
                parts["paragraph"] = int(group)
                continue
            parts["paragraph"] = 1  # single-paragraph article cited by item, e.g. Art. 3(v)
        if "item" not in parts:
            if group not in _ROMAN:
                raise ValueError(f"{text!r}: item must be a roman numeral, got ({group})")
            parts["item"] = _ROMAN[group]
        elif "subitem" not in parts:
            if not (len(group) == 1 and group.isalpha()):
                raise ValueError(f"{text!r}: sub-item must be a letter, got ({group})")
            parts["subitem"] = ord(group) - ord("a") + 1
        elif "subitem2" not in parts and group.isdigit():
            parts["subitem2"] = int(group)
        else:
            raise ValueError(f"{text!r}: too many levels at ({group})")
    return Citation(**parts)


@cache
def _main_provision() -> ET.Element:
    path = resources.files("sim.data").joinpath("pko_act_en.xml")
    with path.open("rb") as handle:
        root = ET.parse(handle).getroot()
    main = root.find(".//MainProvision")
    if main is None:  # pragma: no cover - the shipped file always has one
        raise RuntimeError("statute XML has no MainProvision")
    return main


def _child(element: ET.Element, tag: str, num: int) -> ET.Element | None:
    return element.find(f"{tag}[@Num='{num}']")


def provision(text: str) -> ET.Element | None:
    """The XML element a citation names, or None if the Act has no such provision."""
    cite = parse_citation(text)
    node = _main_provision().find(f".//Article[@Num='{cite.article}']")
    steps = (
        ("Paragraph", cite.paragraph),
        ("Item", cite.item),
        ("Subitem1", cite.subitem),
        ("Subitem2", cite.subitem2),
    )
    for tag, num in steps:
        if node is None or num is None:
            break
        node = _child(node, tag, num)
    return node


def exists(text: str) -> bool:
    """True if the citation names a provision present in the shipped statute."""
    return provision(text) is not None


def provision_text(text: str) -> str:
    """The sentences of the cited provision (its own, not its children's), for display."""
    node = provision(text)
    if node is None:
        raise KeyError(f"no such provision in Act No. 79 of 1992: {text}")
    own = [s for tag in ("ParagraphSentence", "ItemSentence", "Subitem1Sentence", "Subitem2Sentence")
           for s in node.findall(f"./{tag}//Sentence")]  # fmt: skip
    return " ".join("".join(s.itertext()).strip() for s in own)
