"""The circuit breaker (forum/core/breaker.py): a dependency that keeps failing is not
asked for a while, then asked once again."""

import pytest

from forum.core import breaker as breakers
from forum.core.breaker import CircuitBreaker, CircuitOpen


class Dependency:
    def __init__(self):
        self.calls, self.failing = 0, True

    def __call__(self):
        self.calls += 1
        if self.failing:
            raise TimeoutError("no answer")
        return "answer"


def call(breaker, dependency):
    with breaker:
        return dependency()


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(breakers.time, "monotonic", lambda: now[0])
    return now


def test_breaker_stops_asking_after_a_few_failures(clock):
    breaker, dependency = CircuitBreaker("storage"), Dependency()
    for _failure in range(CircuitBreaker.FAILURES):
        with pytest.raises(TimeoutError):
            call(breaker, dependency)
    with pytest.raises(CircuitOpen):
        call(breaker, dependency)
    assert dependency.calls == CircuitBreaker.FAILURES


def test_breaker_asks_once_after_the_pause_and_closes_when_it_answers(clock):
    breaker, dependency = CircuitBreaker("storage"), Dependency()
    for _failure in range(CircuitBreaker.FAILURES):
        with pytest.raises(TimeoutError):
            call(breaker, dependency)
    clock[0] += CircuitBreaker.PAUSE
    dependency.failing = False
    assert call(breaker, dependency) == "answer"
    assert not breaker.is_open()
    assert call(breaker, dependency) == "answer"


def test_breaker_opens_again_when_the_one_call_after_the_pause_fails(clock):
    breaker, dependency = CircuitBreaker("storage"), Dependency()
    for _failure in range(CircuitBreaker.FAILURES):
        with pytest.raises(TimeoutError):
            call(breaker, dependency)
    clock[0] += CircuitBreaker.PAUSE
    with pytest.raises(TimeoutError):
        call(breaker, dependency)
    with pytest.raises(CircuitOpen):
        call(breaker, dependency)
    assert dependency.calls == CircuitBreaker.FAILURES + 1


def test_breaker_counts_only_outages_not_answers(clock):
    breaker = CircuitBreaker("storage", counts=lambda error: isinstance(error, TimeoutError))

    def missing():
        raise FileNotFoundError("no such file")

    for _answer in range(CircuitBreaker.FAILURES + 1):
        with pytest.raises(FileNotFoundError):
            call(breaker, missing)
    assert not breaker.is_open()
