"""limits' in-process memory store with a slower sweep of expired keys (scheme `swept-memory://`).

The stock memory store (`memory://`) starts a sweep over every key 10 ms after each hit. Every ticket that
votes and every address that registers holds a key, so with thousands of them the sweep runs without pause
and takes the interpreter lock from the requests: in the load run a ballot took about 4 ms more. Here the
sweep runs at most once a second. Limits stay exact, since every read checks the times it finds; the sweep
only frees the memory of keys that have expired.
"""

import threading

from limits.storage import MemoryStorage

SWEEP_SECONDS = 1.0


class SweptMemoryStorage(MemoryStorage):
    """The memory store, sweeping expired keys once a second instead of 10 ms after every hit."""

    STORAGE_SCHEME = ["swept-memory"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timer.cancel()  # the parent's first sweep, 10 ms from now
        self._start_sweep()

    def _start_sweep(self) -> None:
        self.timer = threading.Timer(SWEEP_SECONDS, self._sweep)
        self.timer.daemon = True  # never keeps a stopping worker alive
        self.timer.start()

    def _sweep(self) -> None:
        try:
            self._MemoryStorage__expire_events()
        except KeyError:  # a request dropped an expired key while the sweep ran (limits reads without the lock)
            pass  # the next sweep, scheduled by the next hit, frees the rest

    def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802 (overrides the parent's private method)
        if not self.timer.is_alive():
            self._start_sweep()
