"""The rulebook a lawyer can read: one HTML page, each provision's words beside the rule that encodes it.

For the text of the Act in force on a day (:func:`sim.law.versions.version_on`), every rule the model
applies is shown with the words of each provision it cites — from the shipped XML for today's text,
from the quoted sources (:mod:`sim.law.earlier_texts`, :mod:`sim.law.external`) for earlier texts and
other laws — the events whose ``basis`` cites that provision, and the test files that name it; then
the task letters with their meaning.  A reviewer who does not read Python can check the model
article by article.  The events and tests are found by reading the project's own files (the model's
``log(..., Event.X, ..., law.Cite.Y ...)`` calls, and the test files that quote a citation or a
rule's name); where those files are not there (an installed package), the page says so.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from pathlib import Path

from sim.law import citations, earlier_texts, external
from sim.law.pko_act import ROTATION_BASIS, TASKS, Cite, task_citation
from sim.law.rules import Rule
from sim.law.versions import _SAME, ActVersion

_COMPUTED: dict[str, set[str]] = {
    **{c: {"rotation"} for c in ROTATION_BASIS.values()},
    Cite.PRIOR_APPROVAL: {"approval_sought", "house_decided", "approval_lapsed"},
    Cite.RENEWAL: {"renewal_due", "approval_sought", "house_decided"},
    Cite.FURTHER_RENEWAL: {"renewal_due", "approval_sought", "house_decided"},
}
"""Bases the model computes (a kind's term article, the renewal's paragraph) rather than names."""
_LOG = re.compile(r"log\(\s*\w+,\s*Event\.(\w+),(?:[^()]|\([^()]*\))*?law\.Cite\.(\w+)", re.DOTALL)


def events_citing(model_dir: Path) -> dict[str, set[str]]:
    """Today's citation -> the events the model logs with it as (part of) the basis."""
    found: dict[str, set[str]] = defaultdict(set, {c: set(events) for c, events in _COMPUTED.items()})
    for path in sorted(model_dir.glob("*.py")):
        for event, name in _LOG.findall(path.read_text(encoding="utf-8")):
            for part in citations.parts(getattr(Cite, name, "")):
                found[part].add(event.lower())
    return found


def tests_naming(tests_dir: Path, needles: list[str]) -> dict[str, list[str]]:
    """Each needle (a citation or a rule name) -> the test files whose text contains it."""
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(tests_dir.glob("test_*.py"))}
    found = {}
    for needle in needles:
        pattern = re.compile(re.escape(needle) + r"(?![\w(])")  # Art. 6(1) is not Art. 6(13) or 6(1)(i)
        found[needle] = [name for name, text in texts.items() if pattern.search(text)]
    return found


def _words(citation: str) -> tuple[str, str]:
    """The provision's English words and, for a quoted source, its original and where it was read."""
    if (m := re.match(r"^(?P<c>.+) \[(?P<tag>\d{4} text)\]$", citation)) is not None:
        earlier = earlier_texts.lookup(m["tag"], m["c"])
        if earlier is not None:
            extra = f"{earlier.original} — read at {earlier.url}" + (f". {earlier.note}" if earlier.note else "")
            return earlier.words, extra
    if external.is_external(citation) and (p := external.lookup(citation)) is not None:
        return p.words, f"{p.original} — {p.url}"
    try:
        return citations.text(citation), ""
    except (KeyError, ValueError):
        return "(not found in its text)", ""


def _today(version: ActVersion, citation: str) -> str:
    """The citation of today's text an earlier text's citation stands for (to find events and tests)."""
    if version.is_current:
        return citation
    for today in sorted(set(version.renumbered) | _SAME):
        if version.cite(today) == citation:
            return today
    return citation


def render(version: ActVersion, root: Path) -> str:
    """The page for ``version``; ``root`` is the project folder holding ``sim/model`` and ``tests``."""
    model_dir, tests_dir = root / "sim" / "model", root / "tests"
    events = events_citing(model_dir) if model_dir.is_dir() else {}
    rules = list(version.rules)
    todays = sorted({_today(version, c) for r in rules for c in r.citations})
    tests = tests_naming(tests_dir, todays + [r.name for r in rules]) if tests_dir.is_dir() else {}
    e = html.escape
    out = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<title>Rulebook: {e(version.title)}</title>",
        "<style>body{font-family:sans-serif;max-width:70em;margin:auto}td,th{vertical-align:top;border-bottom:1px "
        "solid #ccc;padding:.3em}blockquote{margin:.2em 0 .2em 1em;color:#333}.src{color:#666;font-size:90%}</style>",
        "</head><body>",
        f"<h1>The rulebook under {e(version.title)}</h1>",
        f"<p>Made by {e(version.amendment.act)} (promulgated {version.amendment.promulgated}, in force "
        f"{version.in_force}): {e('; '.join(version.amendment.changes))}.</p>",
        f"<p class='src'>Sources: {' '.join(e(s) for s in version.amendment.sources)}</p>",
    ]
    if not events:
        out.append("<p class='src'>The model's source (sim/model) is not here: events are not listed.</p>")
    if not tests:
        out.append("<p class='src'>The tests (tests/) are not here: tests are not listed.</p>")
    out.append("<table><tr><th>rule</th><th>what the model applies</th><th>provisions</th></tr>")
    for rule in rules:
        out.append(_rule_row(rule, version, events, tests))
    out.append("</table><h2>Tasks (the letters of a contingent's tasks)</h2><table>")
    out.append("<tr><th>task</th><th>meaning</th><th>provision</th><th>in this text</th></tr>")
    for letter, meaning in TASKS.items():
        cite = task_citation(letter)
        exists = letter in version.tasks
        shown = version.cite(cite) if exists else "—"
        words = _words(shown)[0] if exists else f"does not exist in {version.title}"
        out.append(f"<tr><td>({letter})</td><td>{e(meaning)}</td><td>{e(shown)}</td><td>{e(words)}</td></tr>")
    out.append("</table></body></html>")
    return "\n".join(out)


def _rule_row(rule: Rule, version: ActVersion, events: dict[str, set[str]], tests: dict[str, list[str]]) -> str:
    e = html.escape
    cells = []
    for citation in rule.citations:
        today = _today(version, citation)
        words, extra = _words(citation)
        cited_by = ", ".join(sorted(events.get(today, ()))) or "—"
        checked = ", ".join(sorted(set(tests.get(today, [])) | set(tests.get(rule.name, [])))) or "—"
        cells.append(
            f"<b>{e(citation)}</b><blockquote>{e(words)}</blockquote>"
            + (f"<div class='src'>{e(extra)}</div>" if extra else "")
            + f"<div class='src'>events: {e(cited_by)}; tests: {e(checked)}</div>"
        )
    return (f"<tr><td id='{e(rule.name)}'>{e(rule.name)}<div class='src'>{e(rule.source)}</div></td>"
            f"<td>{e(rule.statement)}</td><td>{''.join(cells)}</td></tr>")  # fmt: skip
