"""Portfolios beyond one machine: score a Dask DataFrame or a Parquet dataset over the columnar path.

```python
import evalcore, evalcore.dask
plan = evalcore.compile(evalcore.load_scheme("scheme.toml"))
scores = evalcore.dask.evaluate(plan, "projects/")        # a lazy Dask DataFrame
evalcore.dask.evaluate(plan, "projects/", output="scores/")  # or partitioned Parquet
```

Each partition is scored by `evaluate_table` where it lives (`map_partitions`),
so the same call runs on a laptop's threads, a `LocalCluster`, or a real
cluster (`Client("tcp://scheduler:8786")`) whose workers have evalcore and
the same plugins installed. The plan travels to the workers by pickle.

The input has the columns of `evaluate_table` (``project``, ``budget_planned``,
``budget_executed``, one column per indicator id, ...). The result has its
output columns, one row per input row, partition by partition in order.
Scores stay exact: every score column is a pyarrow ``decimal128`` held in
pandas as ``pd.ArrowDtype`` (never a float), findings a list of structs and
errors a list of strings, also as ArrowDtype. A project that cannot be scored
has null scores and its problems in ``errors``, as in `evaluate_table`.

Needs the extra ``dask``: ``pip install 'evalcore-jixiao[dask]'``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .evaluation import Plan
from .optional import require

__all__ = ["evaluate"]

_WHAT = "evalcore.dask"


def evaluate(plan: Plan, data: Any, output: str | Path | None = None) -> Any:
    """Score ``data`` (a Dask DataFrame, or the path of a Parquet file or partitioned dataset)
    with ``plan``, one partition at a time on the workers.

    Returns a Dask DataFrame of the scores (lazy: compute it, or write it yourself), or, with
    ``output``, writes the scores as partitioned Parquet there and returns None.
    """
    dd = require("dask.dataframe", "dask", _WHAT)
    pd = require("pandas", "dask", _WHAT)
    pa = require("pyarrow", "dask", _WHAT)
    frame = dd.read_parquet(str(data), dtype_backend="pyarrow") \
        if isinstance(data, (str, Path)) else data
    columns = {str(name): _arrow_type(dtype, pa, pd) for name, dtype in frame.dtypes.items()}
    meta = _meta(plan, columns, pa, pd)
    scores = frame.map_partitions(_score_partition, plan, meta=meta)
    if output is None:
        return scores
    scores.to_parquet(str(output), write_index=False)
    return None


def _arrow_type(dtype: Any, pa: Any, pd: Any) -> Any:
    """The Arrow type of an input column: its own under ArrowDtype, text for pandas' object
    and string columns, else numpy's."""
    if isinstance(dtype, pd.ArrowDtype):
        return dtype.pyarrow_dtype
    if str(dtype) in ("object", "string", "str"):
        return pa.string()
    return pa.from_numpy_dtype(dtype)


def _meta(plan: Plan, columns: dict[str, Any], pa: Any, pd: Any) -> Any:
    """The scores' empty frame, with every dtype: `evaluate_table` of an empty table of the
    input's columns (which also checks the columns, with "did you mean", before any work)."""
    from .columnar import evaluate_table

    empty = pa.table({name: pa.array([], type=kind) for name, kind in columns.items()})
    return evaluate_table(plan, empty).to_pandas(types_mapper=pd.ArrowDtype)


def _score_partition(partition: Any, plan: Plan) -> Any:
    """One partition scored on its worker: pandas → Arrow → `evaluate_table` → pandas
    (ArrowDtype columns, so decimals stay decimals), keeping the partition's index."""
    import pandas as pd
    import pyarrow as pa

    from .columnar import evaluate_table

    table = pa.Table.from_pandas(partition, preserve_index=False)
    scores = evaluate_table(plan, table).to_pandas(types_mapper=pd.ArrowDtype)
    scores.index = partition.index
    return scores
