"""Whole-catalogue scale: `compare` over a synthetic catalogue of 1,000 seed-sized qualifications,
and a sampled transfer matrix of 2,000 ordered pairs, in one process, on the local pool and on Ray
(2 workers each on this 2-core machine). `python -m bench.report` prints the throughput. Ray is
started once beforehand, as a cluster would already be running (its start-up, about 5-10 s here,
is in `ray_start_seconds`)."""

from __future__ import annotations

import time

import pytest

from catalog import load_file
from solver import compare, transfer_matrix
from solver.analysis.transfer import ordered_pairs
from solver.whatif.catalogue import compare_catalogue, transfer_catalogue

from .catalogue import write_catalogue

QUALIFICATIONS = 1000
PAIRS = 2000


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    paths = write_catalogue(tmp_path_factory.mktemp("catalogue"), QUALIFICATIONS)
    return [str(p) for p in paths], [load_file(p) for p in paths]


@pytest.fixture(scope="module")
def ray_started():
    ray = pytest.importorskip("ray")
    started = time.perf_counter()
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
    yield time.perf_counter() - started
    ray.shutdown()


def _where(where: str, request) -> str:
    if where == "ray":
        request.getfixturevalue("ray_started")
    return "ray" if where == "ray" else "local"


@pytest.fixture(scope="module")
def expected(catalogue):
    """The in-process answers, which every backend must give."""
    _, quals = catalogue
    pairs = ordered_pairs(len(quals), PAIRS, seed=0)
    return compare(quals), pairs, transfer_matrix(quals, pairs=pairs)


@pytest.mark.parametrize("where", ["one process", "pool", "ray"])
def test_compare_catalogue(benchmark, request, catalogue, expected, where):
    specs, quals = catalogue
    if where == "one process":
        rows = benchmark.pedantic(compare, args=(quals,), rounds=1, iterations=1)
    else:
        rows = benchmark.pedantic(compare_catalogue, args=(quals, specs, 2, _where(where, request)),
                                  rounds=1, iterations=1)
    assert rows == expected[0]
    if where == "ray":
        benchmark.extra_info["ray_start_seconds"] = round(request.getfixturevalue("ray_started"), 1)
    benchmark.extra_info.update(qualifications=len(rows),
                                per_second=round(len(rows) / benchmark.stats.stats.median, 1))


@pytest.mark.parametrize("where", ["one process", "pool", "ray"])
def test_transfer_matrix_sample(benchmark, request, catalogue, expected, where):
    specs, quals = catalogue
    _, pairs, cells = expected
    if where == "one process":
        found = benchmark.pedantic(transfer_matrix, args=(quals,), kwargs={"pairs": pairs}, rounds=1, iterations=1)
    else:
        found = benchmark.pedantic(transfer_catalogue, args=(specs, pairs, 2, _where(where, request)),
                                   rounds=1, iterations=1)
    assert found == cells
    benchmark.extra_info.update(pairs=len(found), per_second=round(len(found) / benchmark.stats.stats.median, 1))
