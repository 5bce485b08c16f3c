"""The one base of every configuration model: unknown fields are errors, values are immutable.

Why: a misspelt field must be reported (with a suggestion) rather than silently ignored, and a
validated scenario or experiment must not change under the run that uses it.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class StrictModel(BaseModel):
    """A pydantic model that forbids unknown fields and is frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)
