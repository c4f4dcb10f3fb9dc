"""How `make dev` takes SIGINT/SIGTERM: unwind while seeding, stop between clock ticks once serving."""

import contextlib
import os
import signal
from collections.abc import Iterator

import pytest
from localcloud.dev import Signals, StopRequested


@pytest.fixture
def signals() -> Iterator[Signals]:
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    installed = Signals()
    installed.install()
    yield installed
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def test_a_signal_while_seeding_unwinds_through_code_that_catches_every_exception(signals: Signals) -> None:
    # contextlib.suppress(Exception): what an SDK's error handling does with a failure inside a call
    with pytest.raises(StopRequested), contextlib.suppress(Exception):
        os.kill(os.getpid(), signal.SIGINT)


def test_a_signal_while_serving_asks_the_loop_to_stop_without_raising(signals: Signals) -> None:
    signals.serving = True
    os.kill(os.getpid(), signal.SIGTERM)
    assert signals.stop_requested == "SIGTERM"
    signals.sleep(60)  # returns at once: a stop is requested
