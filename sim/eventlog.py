"""The event log's schema: its vocabulary (events, states, causes), its rows, and the tables' columns.

The names are the product's interface (docs/architecture.md): analyses, notebooks and process-mining
exports key on them, so they are declared once here and stored as categoricals.  Three events
extend the design's table, each because the Act names a step the table had no word for:
``consent_lacking`` (Art. 6(1): no Cabinet decision without the consents), ``consent_given``
(Art. 27(2): the Prime Minister's consent to an Art. 27 dispatch) and ``rotation``
(Art. 12(1), 13(2), 14(1)-(2): personnel serve for a specified term and are relieved).

The alliance (the 1960 Treaty and the defence-cooperation guidelines) adds its own words, logged
in two lanes of their own beside the deployments (:data:`TREATY_LANE`, :data:`CONTINGENCY_LANE`)
with their own states, and one termination cause: ``recall``, a policy decision under Art. 6(6)
bringing SDF units home for a contingency.

The model appends rows (:class:`LogRow`, :class:`EngagedRow`) as it runs and one
:class:`DeploymentRow` per deployment at the end; the tables' columns are derived from these row
types, so a column cannot be added in one place and forgotten in another.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple


class Event(StrEnum):
    """What happened; the ``event`` column."""

    REQUEST_RECEIVED = "request_received"
    CONSENT_LACKING = "consent_lacking"
    CABINET_DECISION = "cabinet_decision"
    CONSENT_GIVEN = "consent_given"
    PLAN_REPORTED = "plan_reported"
    GUIDELINES_ISSUED = "guidelines_issued"
    CORPS_ESTABLISHED = "corps_established"
    APPROVAL_SOUGHT = "approval_sought"
    HOUSE_DECIDED = "house_decided"
    APPROVAL_GRANTED = "approval_granted"
    APPROVAL_DENIED = "approval_denied"
    APPROVAL_LAPSED = "approval_lapsed"
    CAP_WAIT = "cap_wait"
    DISPATCH_HELD = "dispatch_held"
    DISPATCH_STARTED = "dispatch_started"
    CONTINGENT_RETURNED = "contingent_returned"
    ROTATION = "rotation"
    RENEWAL_DUE = "renewal_due"
    CONDITIONS_LOST = "conditions_lost"
    CONSENT_UNSTABLE = "consent_unstable"
    INTERRUPTED = "interrupted"
    SUSPENDED = "suspended"
    RESUMED = "resumed"
    PLAN_AMENDED = "plan_amended"
    STATUS_REPORTED = "status_reported"
    TERMINATION_DECIDED = "termination_decided"
    WITHDRAWAL_COMPLETED = "withdrawal_completed"
    RESULTS_REPORTED = "results_reported"
    # the Treaty's life
    TREATY_IN_FORCE = "treaty_in_force"
    TREATY_1951_EXPIRED = "treaty_1951_expired"
    TREATY_NOTICE_GIVEN = "treaty_notice_given"
    TREATY_TERMINATED = "treaty_terminated"
    FACILITIES_ENDED = "facilities_ended"
    # a contingency
    TENSION_AROSE = "tension_arose"
    CONSULTATION_REQUESTED = "consultation_requested"
    CONSULTATION_HELD = "consultation_held"
    READINESS_STAGE_CHOSEN = "readiness_stage_chosen"
    COORDINATION_ACTIVATED = "coordination_activated"
    ARMED_ATTACK = "armed_attack"
    DEFENCE_OPERATIONS_STARTED = "defence_operations_started"
    SECURITY_COUNCIL_REPORTED = "security_council_reported"
    REINFORCEMENTS_ARRIVED = "reinforcements_arrived"
    SECURITY_COUNCIL_ACTED = "security_council_acted"
    MEASURES_TERMINATED = "measures_terminated"
    TENSION_EASED = "tension_eased"
    STOOD_DOWN = "stood_down"


class State(StrEnum):
    """Where a deployment stands after an event; the ``state`` column."""

    REQUESTED = "requested"
    DECIDED = "decided"
    AWAITING_APPROVAL = "awaiting_approval"
    DEPLOYED = "deployed"
    INTERRUPTED = "interrupted"
    SUSPENDED = "suspended"
    WITHDRAWING = "withdrawing"
    ENDED = "ended"
    ABANDONED = "abandoned"


class AllianceState(StrEnum):
    """Where the Treaty or a contingency stands after an event; the ``state`` column of their lanes."""

    IN_FORCE = "in_force"
    NOTICE_GIVEN = "notice_given"
    TERMINATED = "terminated"
    TENSION = "tension"
    CONSULTING = "consulting"
    READINESS = "readiness"
    DEFENCE = "defence"
    STANDING_DOWN = "standing_down"
    STOOD_DOWN = "stood_down"


class Cause(StrEnum):
    """Why a deployment was terminated; the detail of ``termination_decided``."""

    PERIOD_END = "period_end"
    MISSION_END = "mission_end"
    DIET_DISAPPROVAL = "diet_disapproval"
    CONDITIONS_LOST = "conditions_lost"
    POLICY = "policy"
    RECALL = "recall"


EVENTS: tuple[str, ...] = tuple(e.value for e in Event)
STATES: tuple[str, ...] = tuple(s.value for s in State) + tuple(s.value for s in AllianceState)
CAUSES: tuple[str, ...] = tuple(c.value for c in Cause)
FINAL_STATES = frozenset({State.ENDED, State.ABANDONED})
TREATY_LANE = "alliance: treaty"
CONTINGENCY_LANE = "alliance: contingency"
ALLIANCE_LANES = (TREATY_LANE, CONTINGENCY_LANE)
"""Lanes of the event log's ``deployment`` column after the deployments, in this order; the space
keeps them apart from any deployment id."""


class LogRow(NamedTuple):
    """One event, as the model appends it (the table adds ``replication`` and ``date``)."""

    deployment: int
    """The lane: the deployment's index, or an alliance lane after the deployments."""
    t: float
    event: str
    state: str
    basis: str
    detail: str


class EngagedRow(NamedTuple):
    """One change in the persons a deployment has engaged under the cap (Art. 19(1))."""

    deployment: int
    t: float
    persons: int
    performing: bool
    total: int
    """Persons engaged across all deployments of the replication at that moment."""


class DeploymentRow(NamedTuple):
    """What became of one deployment in one replication: a row of ``.deployments``.

    The ``*_date`` fields are day offsets here; the table turns them into dates.
    """

    replication: int
    deployment: str
    operation: str
    subtype: str
    route: str
    personnel: int
    needs_prior_approval: bool
    approval_path: str
    outcome: str
    termination_cause: str | None
    request_date: float
    decision_date: float
    dispatch_date: float
    termination_date: float
    withdrawal_date: float
    days_request_to_decision: float
    days_decision_to_dispatch: float
    days_deployed: float
    extensions: int
    rotations: int
    censored: bool
    approvals_sought: int
    lapses: int
    renewals: int
    days_sought_to_decision: float
    targets_missed_representatives: int
    targets_missed_councillors: int
    days_dispatched_before_approval: float
    persons_dispatched: int
    days_waited_for_cap: float
    interruptions: int
    days_interrupted: float
    suspensions: int
    days_suspended: float
    tasks_removed: int
    scripted_skipped: int


_TIMED = ("replication", "deployment", "t", "date")
EVENT_COLUMNS: tuple[str, ...] = (*_TIMED, *LogRow._fields[2:])
ENGAGED_COLUMNS: tuple[str, ...] = (*_TIMED, *EngagedRow._fields[2:])
DEPLOYMENT_COLUMNS: tuple[str, ...] = DeploymentRow._fields
DATE_COLUMNS = tuple(name for name in DEPLOYMENT_COLUMNS if name.endswith("_date"))
CALENDAR_COLUMNS = ("replication", "kind", "number", "convened", "closed", "ended_by")
SHARED_CALENDAR = -1
"""The ``replication`` under which ``.calendar`` lists a calendar every replication shares
(explicit or historical); a generated calendar is listed under each replication's own index."""
