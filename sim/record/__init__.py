"""The real record: Japan's deployments under the Act and the dated steps of their plans, with
their sources, loaded as typed tables (the Diet's real sessions are in :mod:`sim.diet`)."""

from sim.record.loaders import load_deployments, load_plan_events

__all__ = ["load_deployments", "load_plan_events"]
