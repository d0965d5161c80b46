"""Beyond one machine: documents processed on a Dask cluster, merged here.

Dask rather than Ray or Spark: it is pure Python from PyPI (no JVM, no separate object store),
its ``Client.get_executor()`` is a standard ``concurrent.futures.Executor`` — so a cluster plugs
into the same ``build_graph(executor=…)`` path as ``--jobs`` and the result is the same graph —,
and ``LocalCluster`` runs the same code on one machine for tests. Workers map batches of
documents to their entities, facts and triples (``kg.build.process_batch``, pipelines loaded once
per worker); the client merges entities and writes the graph. Workers need invest-kg installed
(same version) and nothing else: texts travel with the batches.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager


@contextmanager
def dask_executor(address: str, workers: int = 2) -> Iterator[Executor]:
    """An executor on the Dask scheduler at `address`, or on a new local cluster of `workers`
    single-threaded processes when `address` is "local"."""
    from dask.distributed import Client, LocalCluster

    if address == "local":
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            yield client.get_executor()
    else:
        with Client(address) as client:
            yield client.get_executor()
