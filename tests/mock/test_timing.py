"""The timing model, sans I/O: schedules computed for given clocks, never slept."""

from __future__ import annotations

import random

import pytest

from tgi_mock.timing import Batcher, Timing, TimingError, parse_timing


def test_fixed_latency_is_ttft_then_itl_per_token() -> None:
    delays = Timing(ttft=0.2, itl=0.01).delays(4, random.Random(0))
    assert delays == [0.2, 0.01, 0.01, 0.01]


def test_no_latency_means_no_wait() -> None:
    timing = Timing()
    assert not timing.active
    assert timing.delays(3, random.Random(0)) == [0.0, 0.0, 0.0]


def test_a_seeded_distribution_repeats_and_spreads_around_its_mean() -> None:
    timing = Timing(ttft=0.5, ttft_spread=0.1, itl=0.02, itl_spread=0.01)
    first = timing.delays(200, random.Random(7))
    assert first == timing.delays(200, random.Random(7))
    assert first != timing.delays(200, random.Random(8))
    itls = first[1:]
    assert all(d >= 0.0 for d in first)
    assert len(set(itls)) > 100
    assert 0.015 < sum(itls) / len(itls) < 0.025


def test_the_header_overrides_the_server_values() -> None:
    base = Timing(ttft=1.0, itl=0.5)
    timing = parse_timing("ttft=0.2; itl-spread=0.01", base)
    assert timing == Timing(ttft=0.2, ttft_spread=0.0, itl=0.5, itl_spread=0.01)
    assert parse_timing(None, base) is base


@pytest.mark.parametrize("text", ["speed=3", "ttft", "ttft=fast", "itl=-1"])
def test_a_bad_header_is_refused(text: str) -> None:
    with pytest.raises(TimingError):
        parse_timing(text, Timing())


def test_without_a_token_budget_nothing_waits() -> None:
    batcher = Batcher(None)
    slots = [batcher.admit(10.0, 5000, 2.0) for _ in range(3)]
    assert [s.queue_time(10.0) for s in slots] == [0.0, 0.0, 0.0]


def test_a_request_that_does_not_fit_waits_for_tokens_to_free() -> None:
    batcher = Batcher(100)
    a = batcher.admit(0.0, 60, 1.0)  # runs 0 -> 1
    b = batcher.admit(0.1, 60, 1.0)  # 60 + 60 > 100: waits for a
    c = batcher.admit(0.2, 30, 1.0)  # fits beside b, but first come first served
    assert (a.start, a.end) == (0.0, 1.0)
    assert (b.start, b.end) == (1.0, 2.0)
    assert b.queue_time(0.1) == pytest.approx(0.9)
    assert c.start == 1.0
    d = batcher.admit(0.3, 20, 1.0)  # 60 + 30 + 20 > 100 from 1.0: waits for b and c
    assert d.start == 2.0


def test_a_request_that_ends_early_frees_its_tokens() -> None:
    batcher = Batcher(100)
    a = batcher.admit(0.0, 80, 10.0)
    batcher.finish(a, 2.0)  # the client went away
    b = batcher.admit(3.0, 80, 1.0)
    assert b.start == 3.0
    assert batcher.running == 1


def test_a_request_larger_than_the_batch_runs_alone() -> None:
    batcher = Batcher(100)
    batcher.admit(0.0, 50, 1.0)
    big = batcher.admit(0.0, 500, 1.0)
    assert big.start == 1.0
