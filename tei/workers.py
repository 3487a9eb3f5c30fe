"""Worker processes for the stages that run Saxon (transforms, validation).

One pool serves a build's transforms and its validation, so the two never
compete for the cores and the build process itself never starts Saxon (whose
GraalVM heap grows toward a share of the machine's memory before it collects,
and is only given back when its process ends).
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from types import TracebackType


class Runner:
    """Runs tasks in a pool of ``jobs`` processes, or in this process when ``jobs`` is 1.

    ``recycle``: a fresh process for every task (for large editions, where a worker's heap would
    otherwise keep what its biggest task needed). Use as a context manager: leaving it, normally or
    by an exception (SIGTERM included, see ``stop_on_sigterm``), ends every worker at once."""

    def __init__(self, jobs: int, recycle: bool = False, method: str = "spawn",
                 initializer: Callable | None = None, initargs: tuple = ()) -> None:
        self.processes = max(1, jobs)
        self._pool = None
        if jobs <= 1 and initializer is not None:
            initializer(*initargs)  # the tasks run here: they see what a worker would
        if jobs > 1:
            import concurrent.futures
            import multiprocessing

            # spawn by default: Saxon (a GraalVM isolate with its own threads) may already run in this
            # process, and a forked copy of it would not work
            self._pool = concurrent.futures.ProcessPoolExecutor(
                jobs, mp_context=multiprocessing.get_context(method), initializer=_start_worker,
                initargs=(initializer, initargs),
                max_tasks_per_child=1 if recycle else None)

    @property
    def parallel(self) -> bool:
        return self._pool is not None

    def map(self, fn: Callable, args: list[tuple]) -> list:
        return self.start([(fn, a) for a in args])()

    def start(self, tasks: list[tuple[Callable, tuple]]) -> Callable[[], list]:
        """Start the tasks; the returned function waits for their results (a worker's UserError is raised there)."""
        if self._pool is None:
            return lambda: [fn(*a) for fn, a in tasks]
        futures = [self._pool.submit(fn, *a) for fn, a in tasks]
        return lambda: [f.result() for f in futures]

    def each(self, fn: Callable, args: list[tuple]) -> Iterator:
        """The results in the order of ``args``, each as soon as it and those before it are done."""
        if self._pool is None:
            yield from (fn(*a) for a in args)
            return
        for future in [self._pool.submit(fn, *a) for a in args]:
            yield future.result()

    def close(self, terminate: bool = False) -> None:
        """Shut the pool down; with ``terminate``, without waiting for the running tasks."""
        if self._pool is None:
            return
        if terminate:
            # concurrent.futures has no public way to stop a running task: end its process
            for process in list((getattr(self._pool, "_processes", None) or {}).values()):
                process.terminate()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = None

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close(terminate=kind is not None)


def _start_worker(initializer: Callable | None, initargs: tuple) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a forked worker must not inherit stop_on_sigterm's handler
    if initializer is not None:
        initializer(*initargs)


def stop_on_sigterm() -> None:
    """Make SIGTERM end the process like Ctrl-C (KeyboardInterrupt): the ``finally`` blocks run, so
    workers are stopped and staging folders removed, instead of the process vanishing and its
    workers finishing their tasks unattended."""
    def interrupt(signum: int, _frame) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupt)
