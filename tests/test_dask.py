"""`evalcore.dask.evaluate`: a portfolio scored on a two-process LocalCluster equals plan.evaluate.

The cluster is real (two worker processes, so the plan and every partition travel by pickle)
and short-lived: one cluster for the module, a few seconds in all.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import dask.dataframe as dd
import distributed
import pandas as pd
import pyarrow as pa
import pyarrow.csv
import pyarrow.parquet as pq
import pytest
from batch_helpers import CSV, SCHEME, csv_rows, expected, scores_of, scores_of_row

import evalcore
import evalcore.dask

ROWS = csv_rows()[:80]  # rows 37 and 71 of the example cannot be scored


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        yield client


@pytest.fixture(scope="module")
def plan() -> evalcore.Plan:
    return evalcore.compile(evalcore.load_scheme(SCHEME))


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory):
    return expected(ROWS, tmp_path_factory.mktemp("files"))


def _table() -> pa.Table:
    table = pa.csv.read_csv(CSV, convert_options=pa.csv.ConvertOptions(
        column_types={n: pa.string() for n in ROWS[0]}, strings_can_be_null=True))
    table = table.slice(0, len(ROWS))
    for name in ("budget_planned", "budget_executed", "upkeep.assessed"):
        values = [None if v is None else Decimal(v) for v in table.column(name).to_pylist()]
        table = table.set_column(table.column_names.index(name), name, pa.array(values))
    return table


def _check(rows: list[dict], reference) -> None:
    """Each output row equals the Decimal path; a refused project has null scores and the
    same problems."""
    assert len(rows) == len(reference)
    for row, want in zip(rows, reference, strict=True):
        if isinstance(want, evalcore.Evaluation):
            assert row["errors"] == [] and scores_of_row(row) == scores_of(want)
        else:
            assert row["total"] is None and row["grade"] is None
            assert [p.message for p in want.problems] and all(
                any(p.message in text for text in row["errors"]) for p in want.problems)


def test_a_dask_dataframe_is_scored_on_the_cluster_like_plan_evaluate(client, plan, reference):
    frame = dd.from_pandas(_table().to_pandas(types_mapper=pd.ArrowDtype), npartitions=4)
    scores = evalcore.dask.evaluate(plan, frame)
    assert str(scores.dtypes["total"]) == "decimal128(38, 2)[pyarrow]" \
        or "decimal" in str(scores.dtypes["total"])  # exact: never a float
    result = client.compute(scores).result()
    assert list(result.index) == list(range(len(ROWS)))
    _check(pa.Table.from_pandas(result, preserve_index=False).to_pylist(), reference)


def test_a_parquet_dataset_is_scored_into_partitioned_parquet(client, plan, reference,
                                                            tmp_path: Path):
    source = tmp_path / "projects"
    source.mkdir()
    table = _table()
    for n, start in enumerate(range(0, len(ROWS), 30)):
        pq.write_table(table.slice(start, 30), source / f"part.{n}.parquet")
    assert evalcore.dask.evaluate(plan, source, output=tmp_path / "scores") is None
    parts = sorted((tmp_path / "scores").glob("*.parquet"))
    assert len(parts) == 3
    rows = [r for part in parts for r in pq.read_table(part).to_pylist()]
    _check(rows, reference)
    assert pa.types.is_decimal(pq.read_schema(parts[0]).field("total").type)


def test_an_unknown_column_is_refused_before_any_work(plan):
    frame = dd.from_pandas(pd.DataFrame({"project": ["a"], "road-kms": ["1公里"]}),
                           npartitions=1)
    with pytest.raises(evalcore.ValidationError, match="road-kms"):
        evalcore.dask.evaluate(plan, frame)


def test_without_dask_the_message_names_the_extra(plan, monkeypatch):
    monkeypatch.setitem(sys.modules, "dask.dataframe", None)
    with pytest.raises(evalcore.EvalcoreError, match=r"pip install 'evalcore-jixiao\[dask\]'"):
        evalcore.dask.evaluate(plan, "projects/")
