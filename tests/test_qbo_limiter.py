"""The connector's limiter holds QuickBooks' limits as QuickBooks counts them, on arrival, however late a request
arrives after it is let go (a loaded machine holds threads for tenths of a second)."""
from __future__ import annotations

import threading
import time

from ingest.qbo.client import Limiter, Policy

LATENCY = 0.1


def arrivals(delays: list[float]) -> list[float]:
    """When each request arrives, request i let go by the limiter (10 threads, Intuit's limits) and arriving
    delays[i] seconds later; each answer comes LATENCY after its arrival."""
    limiter, arrived, lock = Limiter(Policy()), [], threading.Lock()
    pending = iter(enumerate(delays))

    def worker() -> None:
        while True:
            with lock:
                nxt = next(pending, None)
            if nxt is None:
                return
            _, delay = nxt
            with limiter.slot() as slot:
                time.sleep(delay)  # the thread held before its request leaves, or the network
                with lock:
                    arrived.append(time.monotonic())
                time.sleep(LATENCY)
                slot.answered()

    threads = [threading.Thread(target=worker) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(arrived)


def crowded(arrived: list[float]) -> list[float]:
    return [round(b - a, 3) for a, b in zip(arrived, arrived[10:]) if b - a < 1.0]


def test_requests_held_after_they_are_let_go_never_arrive_eleven_in_a_second():
    """The first ten are held 0.4 s before they arrive, the next ten not at all: counted from when they were let
    go, the second ten would arrive within a second of the first (a 429 from Intuit, and a minute's wait)."""
    arrived = arrivals([0.4] * 10 + [0.0] * 20)
    assert len(arrived) == 30
    assert not crowded(arrived), f"11 requests arrived within {min(crowded(arrived))} s"


def test_the_limiter_lets_ten_go_at_once_and_the_next_once_an_answer_is_a_second_old():
    started = time.monotonic()
    arrived = arrivals([0.0] * 20)
    assert arrived[9] - started < 0.5  # ten at once: no second wasted at the start
    # the 11th waits for the first answer (LATENCY) to be a second old, no longer than a little over that
    assert 1.0 + LATENCY <= arrived[10] - started < 1.0 + LATENCY + 0.5
