"""Names a package exports but imports only on first use (PEP 562 module ``__getattr__``).

Why: ``pko-sim --help`` and ``pko-sim validate`` import ``sim`` and ``sim.figures`` first, and
should not wait for pandas, SciPy, SALib, Dask or matplotlib, which only running, analysing and
drawing need (docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from importlib import import_module
from typing import Any


def lazy_names(
    package: str, namespace: MutableMapping[str, Any], where: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package``: each name in ``where`` is imported from
    its module on first use and then kept in the package's ``namespace``."""

    def __getattr__(name: str) -> Any:
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(where[name]), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *where})

    return __getattr__, __dir__
