"""Errors a person can act on: every problem of a scenario, with the field's path and the reason.

Pydantic's errors are turned into :class:`Issue` s whose paths read as the user wrote them
(``deployments[0].contingents[1].tasks``), with spelling suggestions for unknown fields; the law
checks (:mod:`sim.scenario.checks`) add theirs; :class:`ConfigError` carries them all at once.
"""

from __future__ import annotations

import difflib
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from sim.scenario.distributions import DIST_MODELS, DIST_NAMES
from sim.scenario.models import Scenario


class Issue(BaseModel):
    """One problem in a scenario: where it is and why it is wrong."""

    path: str
    reason: str


class ConfigError(ValueError):
    """A scenario that cannot run, with every problem found, ready to print."""

    def __init__(self, source: str, issues: list[Issue]):
        self.source = source
        self.issues = issues
        super().__init__(str(self))

    def __str__(self) -> str:
        count = len(self.issues)
        head = f"{self.source}: {count} problem{'s' if count != 1 else ''}"
        lines = [f"  {i.path or '(top level)'}: {i.reason}" for i in self.issues]
        return "\n".join([head, *lines])


def _format_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in DIST_NAMES or str(part).startswith("function-"):
            continue  # discriminated-union tags are not part of the user's path
        else:
            out += f".{part}" if out else str(part)
    return out


def _model_at(loc: tuple[Any, ...], root: type[BaseModel]) -> type[BaseModel] | None:
    """The model class that owns the last element of ``loc``, for spelling suggestions."""
    model: Any = root
    for part in loc[:-1]:
        if part in DIST_NAMES:  # the tag of a discriminated union: the member it names owns what follows
            model = DIST_MODELS[part]
            continue
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        field = model.model_fields.get(part)
        if field is None:
            return None
        model = _unwrap(field.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    while get_origin(annotation) is not None:
        args = [a for a in get_args(annotation) if a is not type(None)]
        models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
        annotation = models[0] if models else args[0]
    return annotation


_LONGEST_LISTING = 20
"""Known fields are listed after an unknown one unless there are more than this and one is suggested."""
_BOUND_ERRORS = ("greater_than", "greater_than_equal", "less_than", "less_than_equal")


def pydantic_issues(error: ValidationError, root: type[BaseModel] | None = None) -> list[Issue]:
    """Pydantic's errors as :class:`Issue` s with user paths and spelling suggestions."""
    issues = []
    for err in error.errors():
        loc = tuple(err["loc"])
        reason = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            owner = _model_at(loc, root or Scenario)
            known = list(owner.model_fields) if owner else []
            close = difflib.get_close_matches(str(loc[-1]), known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            listed = known and not (close and len(known) > _LONGEST_LISTING)  # a suggestion beats a long list
            reason = f"unknown field{hint}" + (f" (known: {', '.join(known)})" if listed else "")
        elif err["type"] == "missing":
            reason = "required field is missing"
        elif err["type"] == "finite_number":
            reason = "must be a finite number, not .inf or .nan"
        elif err["type"] in _BOUND_ERRORS and root in (None, Scenario):  # the README's Limits are a scenario's
            reason = f"{reason} (the bounds are in the README, Limits)"
        elif err["type"].startswith(("date_", "datetime_")):
            reason = f"{reason}; dates are YYYY-MM-DD (e.g. 2026-03-01), got {err.get('input')!r}"
        issues.append(Issue(path=_format_path(loc), reason=reason))
    return issues
