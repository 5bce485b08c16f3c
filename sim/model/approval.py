"""The seam where the Diet's approval procedure plugs into the lifecycle (Art. 6(7)).

The lifecycle asks the rulebook whether a deployment needs prior approval; if it does, it
hands the deployment to the world's :class:`ApprovalProcedure` before dispatch and waits for
its answer.  The procedure decides when dispatch may start and logs its own events;
:class:`sim.model.diet.DietProcedure` is the one the simulator uses.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any, Protocol

from sim.model.world import DeploymentRun, World


class ApprovalProcedure(Protocol):
    """What the lifecycle and the field need from the Diet."""

    def prior(self, world: World, run: DeploymentRun, dispatch_day: float) -> Generator[Any, Any, float | None]:
        """A SimPy process body: the day the Art. 6(7) contingents may go, or None if never."""
        ...

    def after_dispatch(self, world: World, run: DeploymentRun) -> None:
        """Start whatever the Diet does once units are out (approval after the fact)."""
        ...

    def tasks_added(
        self, world: World, run: DeploymentRun, contingent: int, tasks: frozenset[str]
    ) -> Generator[Any, Any, None]:
        """A SimPy process body: the Diet on a plan change giving an SDF unit (a)-(g)."""
        ...
