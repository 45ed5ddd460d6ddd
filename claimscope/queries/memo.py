"""Answers kept per engine: asked once, then shared by every session and run.

Some page queries do not depend on the filters (the threads a picker offers, the codes the statements
use). Every session of a dataset shares its one :class:`claimscope.engine.Engine`, and an engine's tables
do not change while it is open (a dataset changed on disk is a new cache entry and a new engine; tables
rewritten under a running app are read anew after a restart), so such an answer is computed once per
engine and kept as long as the engine lives (a weak reference: a closed upload's answers go with it).
Only small, bounded answers belong here: they stay in memory for the life of the server.

Others depend on the view, but cost more in Python than in the engine, whose own kept answers make their queries
cheap on a rerun or a link opened again (a reaction cascade's walk and layout, its figure: about 0.3 s of the
claim page's run at a million claims). :func:`recent_answer` keeps the last :data:`RECENT_ANSWERS` of those per
engine, under keys that say everything they depend on.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from claimscope.engine.connection import Engine

T = TypeVar("T")

_ANSWERS: weakref.WeakKeyDictionary[Engine, dict[Hashable, object]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()
#: how many view-dependent answers :func:`recent_answer` keeps per engine (least recently used dropped first)
RECENT_ANSWERS = 32
_RECENT: weakref.WeakKeyDictionary[Engine, OrderedDict[Hashable, object]] = weakref.WeakKeyDictionary()


def dataset_answer(engine: Engine, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``'s answer for this engine and ``key``, computed on the first call only.

    Two sessions asking at once may both compute it (the engine's lock runs their queries one after the
    other); both get the same answer and one is kept. Callers must not mutate the answer.
    """
    with _LOCK:
        answers = _ANSWERS.get(engine)
        if answers is not None and key in answers:
            return answers[key]  # type: ignore[return-value]
    answer = compute()
    with _LOCK:
        return _ANSWERS.setdefault(engine, {}).setdefault(key, answer)  # type: ignore[return-value]


def recent_answer(engine: Engine, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``'s answer for this engine and ``key``, kept among the engine's last :data:`RECENT_ANSWERS`.

    For answers that depend on the view (``key`` must hold everything they depend on besides the engine's tables:
    the filters, the selection, the settings). Callers must not mutate the answer: every session gets the same.
    """
    with _LOCK:
        recent = _RECENT.get(engine)
        if recent is not None and key in recent:
            recent.move_to_end(key)
            return recent[key]  # type: ignore[return-value]
    answer = compute()
    with _LOCK:
        recent = _RECENT.setdefault(engine, OrderedDict())
        answer = recent.setdefault(key, answer)  # type: ignore[assignment]
        recent.move_to_end(key)
        while len(recent) > RECENT_ANSWERS:
            recent.popitem(last=False)
        return answer
