"""The kinds of figure a results folder can be drawn as (``pko-sim plot --kind``).

A module of its own, without matplotlib, so that the command can list the kinds in its help
without importing the plotting stack; :mod:`sim.figures.report` draws them.
"""

KINDS = ("timeline", "cap", "durations", "survival", "tornado", "sensitivity", "response", "bands")
