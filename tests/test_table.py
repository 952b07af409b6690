"""kcorpus.table.Table: the column table the CLI writes without pandas, and the DataFrame the API returns."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from kcorpus.table import Table, infer_kind


def test_kinds_become_the_dtypes_pandas_gives_the_same_values():
    data = {
        "text": ["가", "나"],
        "ints": np.array([1, 2], dtype=np.int64),
        "floats": np.array([0.5, np.nan]),
        "flags": np.array([True, False]),
        "pages": [3, None],
        "mixed": ["a", 1],
    }
    table = Table.build(data, {"pages": "I"})
    expected = pd.DataFrame({**data, "pages": pd.array([3, None], dtype="Int64")})
    expected["mixed"] = expected["mixed"].astype(object)
    pd.testing.assert_frame_equal(table.to_pandas(), expected)


def test_empty_columns_keep_what_pandas_made_of_them():
    assert [infer_kind([]), infer_kind(np.array([], dtype=object)), infer_kind(["a", None])] == ["f", "O", "S"]
    assert Table.empty(["a", "b"]).to_pandas().dtypes.tolist() == pd.DataFrame(columns=["a", "b"]).dtypes.tolist()
    built = Table.build({"a": [], "b": np.zeros(0, dtype=np.int64)}).to_pandas()
    assert built.dtypes.tolist() == pd.DataFrame({"a": [], "b": np.zeros(0, dtype=np.int64)}).dtypes.tolist()


def test_plain_values_say_none_for_missing_and_for_inf_when_finite():
    table = Table.build({"x": np.array([1.0, np.nan, np.inf]), "t": ["a", None, "c"]})
    assert table.values("x") == [1.0, None, math.inf]
    assert table.values("x", finite=True) == [1.0, None, None]
    assert table.values("t") == ["a", None, "c"]


@given(
    st.lists(
        st.tuples(
            st.integers(0, 3),
            st.one_of(st.floats(allow_nan=True, allow_infinity=True, width=32), st.just(float("nan"))),
            st.sampled_from(["가", "나", "a", "B", "", "다다"]),
        ),
        max_size=40,
    )
)
def test_sorting_matches_pandas_stable_sort_with_missing_values_last(rows):
    frame = pd.DataFrame(rows, columns=["n", "x", "t"]).astype({"n": "int64", "x": "float64"})
    table = Table.build({"n": frame["n"].to_numpy(), "x": frame["x"].to_numpy(), "t": frame["t"].tolist()})
    for keys in ([("x", False), ("t", True)], [("n", True), ("x", False), ("t", True)], [("t", True), ("n", False)]):
        expected = frame.sort_values(
            [name for name, _ in keys], ascending=[up for _, up in keys], kind="mergesort"
        ).index.tolist()
        assert table.order(keys).tolist() == expected


def test_concat_meets_ints_and_floats_as_floats_and_other_mixtures_as_objects():
    ints = Table.build({"a": np.array([1], dtype=np.int64), "b": ["x"]})
    floats = Table.build({"a": np.zeros(0), "b": []})  # an empty list: floats, as in pandas
    both = Table.concat([ints, floats])
    assert both.kinds == ["f", "O"]
    expected = pd.concat([ints.to_pandas(), floats.to_pandas()], ignore_index=True)
    assert both.to_pandas().dtypes.tolist() == expected.dtypes.tolist()


@given(st.lists(st.text(max_size=40) | st.sampled_from(["가", "가나", "a\0", "a", "", "Z", "ａ"]), max_size=60))
def test_sorted_codes_are_numpy_unique_of_the_python_strings(values):
    from kcorpus.table import sorted_codes

    distinct, codes = sorted_codes(values)
    expected, inverse = np.unique(np.asarray(values, dtype=object), return_inverse=True)
    assert distinct == expected.tolist() and codes.tolist() == inverse.ravel().tolist()
