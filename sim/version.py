"""The installed package's version, looked up when first asked for.

Why its own module: ``importlib.metadata`` costs about 60 ms to import, and ``pko-sim --help``
and ``import sim`` should not pay it; :mod:`sim` exports ``__version__`` from here lazily.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("pko-sim")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"
