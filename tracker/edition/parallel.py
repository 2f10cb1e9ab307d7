"""Work spread over the machine's cores: the measures' pages and feeds, and the charts' PNG images.

Workers are forked, so they start with the edition's data already in memory (nothing is pickled but the
task and its result) and never touch the database. Without fork (or with one core) the tasks run here,
one after the other.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any

_job: tuple[Callable[[Any, Any], Any], Any] | None = None  # what forked workers run: (worker, shared payload)


def processes() -> int:
    return min(os.cpu_count() or 1, 8)


def run(worker: Callable[[Any, Any], Any], payload: Any, tasks: Sequence[Any]) -> list:
    """``[worker(payload, task) for task in tasks]``, computed in forked processes when that helps."""
    global _job
    if len(tasks) < 2 or processes() < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [worker(payload, task) for task in tasks]
    _job = (worker, payload)
    try:
        with multiprocessing.get_context("fork").Pool(min(processes(), len(tasks))) as pool:
            return pool.map(_call, tasks, chunksize=1)
    finally:
        _job = None


class Background:
    """``worker(payload, task)`` started now in a forked process (or run here at once, without fork);
    ``result()`` waits for it. For work that needs no shared memory afterwards, such as the data files."""

    def __init__(self, worker: Callable[[Any, Any], Any], payload: Any, task: Any):
        global _job
        self._pool = None
        if processes() < 2 or "fork" not in multiprocessing.get_all_start_methods():
            self._value = worker(payload, task)
            return
        _job = (worker, payload)
        try:
            self._pool = multiprocessing.get_context("fork").Pool(1)  # forks now, with _job set
        finally:
            _job = None
        self._pending = self._pool.apply_async(_call, (task,))

    def result(self) -> Any:
        if self._pool is None:
            return self._value
        try:
            return self._pending.get()
        finally:
            self._pool.close()
            self._pool.join()


def _call(task: Any) -> Any:
    assert _job is not None
    worker, payload = _job
    return worker(payload, task)
