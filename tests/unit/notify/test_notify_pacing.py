"""The notify consumer's send pacing: a token bucket, driven by an injected clock (no real sleeps)."""

from __future__ import annotations

import pytest
from salon.notify.adapters.email_sender import SendRate, instance_rate


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_a_burst_of_one_second_then_one_send_per_token() -> None:
    t = FakeTime()
    rate = SendRate(4, clock=t.clock, sleep=t.sleep)
    for _ in range(4):
        rate.take()
    assert t.slept == []
    rate.take()
    assert t.slept == [pytest.approx(0.25)]


def test_many_sends_take_as_long_as_the_rate_says() -> None:
    t = FakeTime()
    rate = SendRate(14, clock=t.clock, sleep=t.sleep)
    for _ in range(14 + 140):
        rate.take()
    assert t.now - 100.0 == pytest.approx(10.0)


def test_idle_time_refills_up_to_one_second_only() -> None:
    t = FakeTime()
    rate = SendRate(2, clock=t.clock, sleep=t.sleep)
    rate.take()
    rate.take()
    t.now += 60  # a quiet minute does not bank 120 sends
    for _ in range(3):
        rate.take()
    assert t.slept == [pytest.approx(0.5)]


def test_a_rate_below_one_a_second_still_sends() -> None:
    t = FakeTime()
    rate = SendRate(0.5, clock=t.clock, sleep=t.sleep)
    rate.take()
    rate.take()
    assert t.slept == [pytest.approx(2.0)]


def test_a_rate_is_positive() -> None:
    with pytest.raises(ValueError):
        SendRate(0)


def test_each_instance_gets_its_share_of_the_configured_or_the_account_rate() -> None:
    asked: list[bool] = []

    def account() -> float:
        asked.append(True)
        return 14.0

    assert instance_rate(0, 2, account) == 7.0
    assert asked == [True]
    assert instance_rate(100, 4, account) == 25.0
    assert asked == [True]  # a configured rate: SES is not asked
