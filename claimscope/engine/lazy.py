"""Ibis, imported when an expression is first built rather than when claimscope is imported.

Why: a restart's first page (the unfiltered Overview, and the sidebar's options) reads answers kept in the cache
entry (:class:`~claimscope.engine.connection.NamedQuery`, ``keep_filter_options``) and builds no expression at all,
yet importing Ibis (its expression types, sqlglot's dialects, every backend's compiler) cost that page about 0.75 s
of a restart on two cores (``docs/scale.md``, *A restart's first page without Ibis*). The query modules therefore
take ``ibis``, ``ir`` (``ibis.expr.types``) and ``_`` (Ibis's deferred column) from here: each is a stand-in that
imports the real thing on its first attribute or item, and then hands every later access straight to it.

Why not :class:`importlib.util.LazyLoader`: it puts the half-loaded module in ``sys.modules``, where other libraries
look for Ibis (narwhals, which plotly calls on every figure's arrays, tests ``sys.modules.get("ibis")`` and then
reads ``ibis.expr.types``), which would load it on the first chart; and it cannot defer a submodule
(``ibis.expr.types``), whose import runs its parent's first. These stand-ins are local names, invisible to others.

Use them only for attribute access (``ibis.literal(...)``, ``ir.Table``, ``_.count()``, ``_[name]``); annotations
stay unevaluated (``from __future__ import annotations``), so ``ir.Table`` in a signature costs nothing.
"""

from __future__ import annotations

import importlib
from typing import Any


class LazyModule:
    """A module by name, imported on first use (an attribute read): ``LazyModule("ibis").literal`` is
    ``ibis.literal``."""

    __slots__ = ("_module", "_name")

    def __init__(self, name: str) -> None:
        self._name = name
        self._module = None

    def __getattr__(self, attribute: str) -> Any:
        module = self._module
        if module is None:
            # the package first, then the submodule: two threads importing them in the other order could meet a
            # half-initialised module
            importlib.import_module(self._name.partition(".")[0])
            module = self._module = importlib.import_module(self._name)
        return getattr(module, attribute)

    def __repr__(self) -> str:
        return f"<lazy module {self._name}>"


class LazyAttribute:
    """A module's attribute, read on first use: the stand-in for ``from ibis import _``, which is used only as
    ``_.column`` and ``_[name]``."""

    __slots__ = ("_attribute", "_module")

    def __init__(self, module: str, attribute: str) -> None:
        self._module = LazyModule(module)
        self._attribute = attribute

    def _target(self) -> Any:
        return getattr(self._module, self._attribute)

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._target(), attribute)

    def __getitem__(self, key: Any) -> Any:
        return self._target()[key]

    def __repr__(self) -> str:
        return f"<lazy {self._module._name}.{self._attribute}>"


ibis = LazyModule("ibis")
ir = LazyModule("ibis.expr.types")
_ = LazyAttribute("ibis", "_")

__all__ = ["LazyAttribute", "LazyModule", "_", "ibis", "ir"]
