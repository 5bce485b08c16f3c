"""The rulebooks: the Act (:mod:`sim.law.pko_act`), the 1960 Treaty (:mod:`sim.law.treaty`) and the
defence-cooperation guidelines (:mod:`sim.law.guidelines`), the provisions of other laws the model
relies on (:mod:`sim.law.external`, e.g. the Diet Act), with one registry of rules
(:mod:`sim.law.rules`) and one citation mechanism (:mod:`sim.law.citations`).  The Act's earlier
texts and the rulebook "as of" a date are :mod:`sim.law.versions` (quoting :mod:`sim.law.earlier_texts`).

The Act's names are re-exported here, so ``from sim import law; law.needs_prior_approval(...)``
reads as it always has; the alliance's rules are asked of their own modules.
"""

from sim.law import earlier_texts, external, guidelines, treaty, versions
from sim.law.pko_act import *  # noqa: F403  (the Act is the default rulebook)
from sim.law.pko_act import __all__ as _act

__all__ = ["earlier_texts", "external", "guidelines", "treaty", "versions", *_act]
