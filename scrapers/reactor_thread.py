"""One Twisted reactor for the whole process, running in a daemon thread.

A Twisted reactor cannot be restarted, yet tests, the benchmark and the CLI's ``demo`` run
several crawls in one process. So the asyncio reactor is installed once, runs in a
background thread for the life of the process, and crawls are submitted to it with
``blockingCallFromThread``.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

_lock = threading.Lock()
_thread: threading.Thread | None = None


def reactor() -> Any:
    """The running reactor, starting it (once) on first use."""
    global _thread
    with _lock:
        if _thread is None:
            loop = asyncio.new_event_loop()
            from twisted.internet import asyncioreactor

            try:
                asyncioreactor.install(loop)
            except Exception as exc:  # ReactorAlreadyInstalledError
                from twisted.internet import reactor as installed

                if not isinstance(installed, asyncioreactor.AsyncioSelectorReactor):
                    raise RuntimeError(
                        f"a non-asyncio Twisted reactor is already installed: {installed!r}"
                    ) from exc
                loop = installed._asyncioEventloop
            from twisted.internet import reactor as r

            ready = threading.Event()

            def run() -> None:
                asyncio.set_event_loop(loop)
                r.callWhenRunning(ready.set)
                r.run(installSignalHandlers=False)

            _thread = threading.Thread(target=run, name="tangguh-reactor", daemon=True)
            _thread.start()
            if not ready.wait(30):
                raise RuntimeError("the Twisted reactor did not start")
    from twisted.internet import reactor as r

    return r


def call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run ``fn`` in the reactor thread and wait for its result (Deferreds are awaited)."""
    from twisted.internet.threads import blockingCallFromThread

    return blockingCallFromThread(reactor(), fn, *args, **kwargs)
