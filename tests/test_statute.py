"""Every citation the simulator uses names a provision that exists: in Act No. 79 of 1992, the 1960
Treaty, or (quoted) the defence-cooperation guidelines, as shipped in sim/data, or a provision of
another law registered with its words in sim/law/external.py."""

from __future__ import annotations

import pytest

import sim
from sim import law
from sim.law import citations, external, statute
from sim.law.guidelines import GuidelinesCite
from sim.law.treaty import TreatyCite


def all_citations() -> set[str]:
    cites = {c for rule in law.RULES for c in rule.citations}
    cites |= set(law.OPERATION_CITATION.values()) | set(law.KIND_CITATION.values())
    cites |= set(law.CONSENT_ITEM.values()) | set(law.UNSTABLE_CONSENT_ITEM.values())
    cites |= set(law.ROTATION_BASIS.values())  # the fixed bases of events are law.Cite's, below
    cites |= {law.task_citation(t) for t in law.TASK_LETTERS}
    cites |= {law.subtype_citation(op, s) for op in law.OPERATIONS_WITH_SUBTYPES for s in law.SUBTYPES}
    cites |= {law.conditions_item(op, s) for op in law.OPERATIONS_WITH_SUBTYPES for s in law.SUBTYPES}
    for named in (law.Cite, TreatyCite, GuidelinesCite, external.ExternalCite):
        cites |= {part for name, value in vars(named).items() if not name.startswith("_")
                  for part in citations.parts(value)}  # fmt: skip
    return cites


@pytest.mark.parametrize("citation", sorted(all_citations()))
def test_every_rulebook_citation_exists_in_its_text(citation: str) -> None:
    assert citations.exists(citation), f"{citation} is not in the text it cites"


def test_every_rulebook_is_in_the_registry() -> None:
    sources = {rule.source for rule in law.RULES}
    outside = {p.title for p in external.PROVISIONS.values()}
    assert sources == {"Act No. 79 of 1992", law.treaty.SOURCE, law.guidelines.SOURCE, *outside}
    assert "Diet Act (Act No. 79 of 1947)" in sources


# -- rules from outside the Act ----------------------------------------------------------------


def test_the_session_lapse_rests_on_the_diet_act_not_on_the_act() -> None:
    assert law.Cite.SESSION_LAPSE == "Diet Act art. 68"
    assert external.is_external(law.Cite.SESSION_LAPSE) and citations.exists(law.Cite.SESSION_LAPSE)
    assert "carried over to the following session" in citations.text(law.Cite.SESSION_LAPSE)
    [rule] = [r for r in law.RULES if law.Cite.SESSION_LAPSE in r.citations]
    assert rule.name == "session_lapse" and rule.source == "Diet Act (Act No. 79 of 1947)"
    assert rule.statement.startswith("Assumption")


@pytest.mark.parametrize("citation", sorted(c for c in all_citations() if external.is_external(c)))
def test_every_external_citation_resolves_to_a_registry_entry_with_its_words(citation: str) -> None:
    provision = external.lookup(citation)
    assert provision is not None, f"{citation} is not in sim.law.external.PROVISIONS"
    assert provision.words.strip() and provision.rendering.strip() and provision.url.startswith("https://")
    assert provision.citation == citation


def test_every_registry_entry_says_where_its_words_come_from() -> None:
    assert external.PROVISIONS
    for citation, provision in external.PROVISIONS.items():
        assert external.is_external(citation) and citations.exists(citation)
        assert provision.words.strip() and provision.original.strip() and provision.rendering.strip()


@pytest.mark.parametrize(
    "citation", ["Diet Act art. 999", "Cabinet Act art. 3", "Diet Act art. 68(9)", "Diet Law art. 68"]
)
def test_an_unknown_external_citation_is_caught(citation: str) -> None:
    assert external.is_external(citation)
    assert not citations.exists(citation)
    with pytest.raises(KeyError, match="no such external provision"):
        citations.text(citation)


def test_an_external_provision_without_words_does_not_resolve(monkeypatch: pytest.MonkeyPatch) -> None:
    blank = external.ExternalProvision("Diet Act", "Act No. 79 of 1947", "68", " ", "", "", "")
    monkeypatch.setitem(external.PROVISIONS, blank.citation, blank)
    assert not citations.exists("Diet Act art. 68")


def test_external_citations_are_told_apart_from_the_act_s_and_the_treaty_s() -> None:
    # lower-case "art." marks another law; the Act's and the Treaty's "Art." never match it
    assert not external.is_external("Art. 6(7)") and not external.is_external("Treaty Art. V")
    assert not citations.exists("Diet Act Art. 68")  # not the external form, and not the Act's


@pytest.mark.parametrize("citation", ["Art. 6(15)", "Art. 3(v)(w)", "Art. 6(13)(xii)", "Art. 35", "Art. 19(2)"])
def test_a_citation_of_a_missing_provision_is_caught(citation: str) -> None:
    assert not statute.exists(citation)


@pytest.mark.parametrize(
    "citation", ["Treaty Art. XI", "Treaty Art. 5", 'Guidelines "Japan will defend Hawaii"', "Guidelines primary"]
)
def test_a_citation_of_a_missing_treaty_article_or_guideline_is_caught(citation: str) -> None:
    assert not citations.exists(citation)


def test_treaty_and_guidelines_citations_give_their_own_words() -> None:
    assert "one year after such notice has been given" in citations.text("Treaty Art. X")
    assert "immediately reported to the Security Council" in citations.text("Treaty Art. V")
    assert "instruments of ratification" in citations.text("Treaty Art. VIII")
    assert list(citations.treaty_articles()) == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def test_a_basis_may_rest_on_several_texts() -> None:
    basis = citations.join("Art. 6(6)", "Treaty Art. V")
    assert basis == "Art. 6(6); Treaty Art. V"
    assert citations.parts(basis) == ["Art. 6(6)", "Treaty Art. V"]
    assert citations.parts("") == []


def test_citation_parts_follow_the_translation_conventions() -> None:
    # Article 3 has one paragraph, so its items are cited directly: Art. 3(v)(g).
    assert statute.parse_citation("Art. 3(v)(g)") == statute.Citation(3, 1, 5, 7)
    assert statute.parse_citation("Art. 6(13)(ix)") == statute.Citation(6, 13, 9)
    assert statute.parse_citation("Art. 6(2)(ii)(b)") == statute.Citation(6, 2, 2, 2)
    with pytest.raises(ValueError, match="not a citation"):
        statute.parse_citation("Article six")


def test_cited_text_is_the_statute_s_own_words() -> None:
    assert "two thousand" in statute.provision_text("Art. 19(1)")
    assert "seven days" in statute.provision_text("Art. 6(8)")
    assert "rush" not in statute.provision_text("Art. 3(v)(v)")  # the Act's words, not ours
    assert "protection of the lives and bodies" in statute.provision_text("Art. 3(v)(v)")


@pytest.mark.parametrize("config", ["baseline", "routine_approvals", "alliance_contingency", "treaty_notice"])
def test_every_basis_logged_by_a_run_is_a_real_provision(root, config: str) -> None:
    result = sim.simulate(root / "configs" / f"{config}.yaml", replications=20)
    used = {b for b in result.events["basis"].astype(str).unique() if b}
    assert used, "the run logs events with a basis"
    for basis in used:
        for citation in citations.parts(basis):
            assert citations.exists(citation), basis
