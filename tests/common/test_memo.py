"""common.memo: a figure is computed once per change of its data, kept in parts, and when many ask
for it at once after a change, one computes while the others wait for that result."""

import threading
import time

import pytest
from django.core.cache import cache

from common import memo


@pytest.fixture(autouse=True)
def fresh_generation(db):
    memo.data_changed()


def test_a_figure_is_computed_once_until_the_data_changes():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert memo.remember("t", (1,), compute) == 1
    assert memo.remember("t", (1,), compute) == 1
    assert memo.remember("t", (2,), compute) == 2  # other parts (another fingerprint): computed again
    memo.data_changed()
    assert memo.remember("t", (1,), compute) == 3


def test_a_visit_reads_only_the_parts_it_wants():
    every = {"head": "h", "page-1": [1], "page-2": [2]}
    assert memo.remember_parts("p", (1,), lambda: every, ["head", "page-2"]) == {"head": "h", "page-2": [2]}
    assert memo.remember_parts("p", (1,), lambda: pytest.fail("computed again"), ["page-1"]) == {"page-1": [1]}


def test_visitors_arriving_during_a_computation_wait_for_its_result_instead_of_computing_again():
    calls, results = [], []
    started = threading.Event()

    def compute():
        calls.append(1)
        started.set()
        time.sleep(0.3)
        return {"value": "figures"}

    def visit():
        results.append(memo.remember_parts("slow", (1,), compute, ["value"])["value"])

    first = threading.Thread(target=visit)
    first.start()
    started.wait(5)
    others = [threading.Thread(target=visit) for _ in range(4)]
    for thread in others:
        thread.start()
    for thread in [first, *others]:
        thread.join(10)
    assert results == ["figures"] * 5
    assert len(calls) == 1


def test_a_claim_left_by_a_visitor_that_died_does_not_block_for_ever(monkeypatch):
    monkeypatch.setattr(memo, "WAIT", 0.2)
    cache.add(f"{memo.key('dead', 1)}:computing", 1, 60)
    assert memo.remember("dead", (1,), lambda: "computed anyway") == "computed anyway"
