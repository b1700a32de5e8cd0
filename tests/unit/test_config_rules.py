"""The one settings mechanism (cluster_marts.config.rules / coerce / schema), table-driven over every rule kind."""

from __future__ import annotations

import dataclasses

import pytest

from cluster_marts.config.rules import BOOL, CHOICE, FLOAT, INT, LIST, MAPPING, STR, Context, Rule
from cluster_marts.config.schema import bind, parse_mapping
from cluster_marts.errors import SettingsError

FIX = " (edit config.meta in the model's YAML)"
CONTEXTS = {
    "model": (Context.for_model("int_toy"), "model int_toy: setting", FIX),
    "spec": (Context.for_spec("toy.yml"), "spec toy.yml: key", ""),
}

K = Rule("k", INT, default=4, low=2, high=10)
SHARE = Rule("share", FLOAT, default=0.1, low=0.0, high=0.5, open_low=True, open_high=True)
PCA = Rule("pca", INT, low=1, nullable=True)
FLAG = Rule("flag", BOOL, default=False)
COLUMN = Rule("column", STR, default="id")
SCALING = Rule("scaling", CHOICE, default="standard", allowed=("minmax", "none", "standard"))
COLUMNS = Rule("columns", LIST, default=(), allow_empty=True)
FEATURES = Rule("features", LIST, default=("x",))
METHODS = Rule("methods", LIST, default=("fcm",), allowed=("fcm", "gmm"))
K_RANGE = Rule("k_range", LIST, values=Rule("k", INT, low=2), nullable=True)
BLOCK = Rule("block", MAPPING, fields=(Rule("m", FLOAT, default=2.0, low=1.0, open_low=True),
                                       Rule("n_init", INT, default=3, low=1)))
AXES = Rule("axes", MAPPING, values=Rule("axis", LIST))

# rule, value as written in YAML or rendered by dbt ("{{ var(...) }}" gives strings), parsed value
VALID = [
    (K, 5, 5), (K, "5", 5), (K, " 5 ", 5), (K, 5.0, 5), (K, "10", 10), (K, 2, 2),
    (SHARE, 0.25, 0.25), (SHARE, "0.25", 0.25), (SHARE, "2.5e-1", 0.25), (SHARE, " 0.49 ", 0.49),
    (PCA, "3", 3), (PCA, None, None), (PCA, "null", None), (PCA, "None", None), (PCA, "", None),
    (FLAG, True, True), (FLAG, "true", True), (FLAG, "False", False), (FLAG, "yes", True), (FLAG, 0, False),
    (COLUMN, " region ", "region"), (COLUMN, 2020, "2020"),
    (SCALING, "MinMax", "minmax"), (SCALING, " none ", "none"), (SCALING, "None", "none"),
    (COLUMNS, "region, channel", ("region", "channel")), (COLUMNS, ["region"], ("region",)), (COLUMNS, None, ()),
    (COLUMNS, " , ", ()), (COLUMNS, [], ()),
    (FEATURES, "a,b", ("a", "b")), (METHODS, "GMM, fcm", ("gmm", "fcm")), (METHODS, ["gmm"], ("gmm",)),
    (K_RANGE, [2, "5"], (2, 5)), (K_RANGE, "3, 6", (3, 6)), (K_RANGE, "null", None),
    (BLOCK, {"m": "1.5"}, {"m": 1.5, "n_init": 3}), (BLOCK, '{"n_init": "4"}', {"m": 2.0, "n_init": 4}),
    (BLOCK, None, {"m": 2.0, "n_init": 3}),
    (AXES, {"a": "x, y", "b": ["z"]}, {"a": ("x", "y"), "b": ("z",)}), (AXES, '{"a": ["x"]}', {"a": ("x",)}),
]


@pytest.mark.parametrize("context", sorted(CONTEXTS))
@pytest.mark.parametrize(("rule", "value", "expected"), VALID)
def test_valid_values_are_coerced(context, rule, value, expected):
    ctx = CONTEXTS[context][0]
    got = parse_mapping({rule.name: value}, [rule], ctx)[rule.name]
    assert got == expected
    assert type(got) is type(expected)


def test_left_out_keys_take_their_default():
    got = parse_mapping({}, [K, SHARE, PCA, FLAG, COLUMNS, METHODS, BLOCK], Context.for_model("m"))
    assert got == {"k": 4, "share": 0.1, "pca": None, "flag": False, "columns": (), "methods": ("fcm",),
                   "block": {"m": 2.0, "n_init": 3}}


# rule, value, key path in the message, value shown, why, allowed values (written out, not generated)
INVALID = [
    (K, "eight", "k", "eight", "must be an integer", "an integer >= 2 and <= 10"),
    (K, 4.5, "k", 4.5, "must be a whole number", "an integer >= 2 and <= 10"),
    (K, True, "k", True, "must be an integer, not a boolean", "an integer >= 2 and <= 10"),
    (K, "inf", "k", "inf", "must be a finite number", "an integer >= 2 and <= 10"),
    (K, 1, "k", 1, "is out of range", "an integer >= 2 and <= 10"),
    (K, "11", "k", "11", "is out of range", "an integer >= 2 and <= 10"),
    (K, None, "k", None, "must be an integer", "an integer >= 2 and <= 10"),
    (SHARE, 0, "share", 0, "is out of range", "a number > 0 and < 0.5"),
    (SHARE, "0.5", "share", "0.5", "is out of range", "a number > 0 and < 0.5"),
    (SHARE, "a lot", "share", "a lot", "must be a number", "a number > 0 and < 0.5"),
    (SHARE, "nan", "share", "nan", "must be a finite number", "a number > 0 and < 0.5"),
    (SHARE, False, "share", False, "must be a number, not a boolean", "a number > 0 and < 0.5"),
    (PCA, 0, "pca", 0, "is out of range", "an integer >= 1, or null"),
    (FLAG, "maybe", "flag", "maybe", "must be true or false", "true or false"),
    (FLAG, 2, "flag", 2, "must be true or false", "true or false"),
    (COLUMN, "  ", "column", "  ", "is empty", "a non-empty string"),
    (COLUMN, ["x"], "column", ["x"], "must be a string", "a non-empty string"),
    (SCALING, "zscore", "scaling", "zscore", "is not allowed", "minmax, none, standard"),
    (SCALING, 3, "scaling", 3, "is not allowed", "minmax, none, standard"),
    (COLUMNS, 5, "columns", 5, "must be a list", "a list of column names"),
    (COLUMNS, "a, b, a", "columns", "a, b, a", "lists a twice", "a list of column names"),
    (FEATURES, [], "features", [], "is empty", "a non-empty list of column names"),
    (FEATURES, "null", "features", "null", "is empty", "a non-empty list of column names"),
    (METHODS, ["fcm", "dbscan"], "methods", "dbscan", "is not allowed", "fcm, gmm"),
    (METHODS, "fcm, fcm", "methods", "fcm, fcm", "lists fcm twice", "fcm, gmm"),
    (K_RANGE, [2, 1], "k_range", 1, "is out of range", "a non-empty list, each an integer >= 2, or null"),
    (BLOCK, "not json", "block", "not json", "must be a mapping", "a mapping with keys: m, n_init"),
    (BLOCK, [1, 2], "block", [1, 2], "must be a mapping", "a mapping with keys: m, n_init"),
    (BLOCK, {"m": 1}, "block.m", 1, "is out of range", "a number > 1"),
    (BLOCK, {"fuzziness": 2}, "block.fuzziness", 2, "is not a known key", "m, n_init"),
    (BLOCK, {"x": 1, "m": 3, "y": 2}, "block.x", 1, "is not a known key (also unknown: y)", "m, n_init"),
    (AXES, {}, "axes", {}, "is empty", "a non-empty mapping of name -> a non-empty list of column names"),
    (AXES, {"a": []}, "axes.a", [], "is empty", "a non-empty list of column names"),
    (AXES, {" ": ["x"]}, "axes", {" ": ["x"]}, "has an empty key",
     "a non-empty mapping of name -> a non-empty list of column names"),
]


@pytest.mark.parametrize("context", sorted(CONTEXTS))
@pytest.mark.parametrize(("rule", "value", "key", "shown", "why", "allowed"), INVALID)
def test_invalid_values_name_context_key_and_allowed_values(context, rule, value, key, shown, why, allowed):
    ctx, prefix, fix = CONTEXTS[context]
    with pytest.raises(SettingsError) as info:
        parse_mapping({rule.name: value}, [rule], ctx)
    assert str(info.value) == f"{prefix} {key!r}={shown!r} {why}; allowed values: {allowed}{fix}"


@pytest.mark.parametrize("context", sorted(CONTEXTS))
def test_unknown_and_missing_keys(context):
    ctx, prefix, fix = CONTEXTS[context]
    required = Rule("id_column", STR, required=True)
    with pytest.raises(SettingsError) as info:
        parse_mapping({"id_column": "id", "kk": 3, "description": "x"}, [required, K], ctx, ignored=("description",))
    assert str(info.value) == f"{prefix} 'kk'=3 is not a known key; allowed values: id_column, k, description{fix}"
    for raw in ({}, {"id_column": None}, {"id_column": "null"}, None):
        with pytest.raises(SettingsError) as info:
            parse_mapping(raw, [required, K], ctx)
        shown = None if raw is None else raw.get("id_column")
        assert str(info.value) == f"{prefix} 'id_column'={shown!r} is required; allowed values: a non-empty string{fix}"
    assert parse_mapping({"id_column": "id", "description": "x"}, [required], ctx, ignored=("description",)) == {
        "id_column": "id"}


def test_nested_key_paths_and_custom_wording():
    ctx = Context.for_spec("s.yml")
    outer = Rule("preprocessing", MAPPING, fields=(Rule("reduction", MAPPING, fields=(K,)),))
    with pytest.raises(SettingsError, match=r"^spec s\.yml: key 'preprocessing\.reduction\.k'=1 is out of range; "
                                            r"allowed values: an integer >= 2 and <= 10$"):
        parse_mapping({"preprocessing": {"reduction": {"k": 1}}}, [outer], ctx)
    with pytest.raises(SettingsError, match=r"^spec s\.yml: key 'algorithm\.params\.eps'=1 is not a parameter of "
                                            r"kmeans; allowed values: k$"):
        parse_mapping({"eps": 1}, [K], ctx, path="algorithm.params", what="a parameter of kmeans")
    with pytest.raises(SettingsError, match=r"^spec s\.yml: key ''=\[1\] must be a mapping; allowed values: "
                                            r"a mapping with keys: k$"):
        parse_mapping([1], [K], ctx)


def test_into_builds_the_result_and_reports_its_own_check():
    def ordered(low, high):
        if low > high:
            from cluster_marts.config.rules import Invalid
            raise Invalid("has low > high")
        return (low, high)

    pair = Rule("pair", MAPPING, into=ordered, fields=(Rule("low", INT, default=0), Rule("high", INT, default=9)))
    ctx = Context.for_model("m")
    assert parse_mapping({"pair": {"high": "5"}}, [pair], ctx) == {"pair": (0, 5)}
    with pytest.raises(SettingsError, match=r"^model m: setting 'pair'=\{'low': 3, 'high': 1\} has low > high; "
                                            r"allowed values: a mapping with keys: low, high \(edit"):
        parse_mapping({"pair": {"low": 3, "high": 1}}, [pair], ctx)


@dataclasses.dataclass(frozen=True)
class _Toy:
    id_column: str
    k: int = 5
    tags: tuple[str, ...] = dataclasses.field(default_factory=tuple)


def test_bind_takes_defaults_and_required_from_the_dataclass():
    rules = {rule.name: rule for rule in bind(_Toy, Rule("k", INT, low=2), Rule("id_column", STR),
                                              Rule("tags", LIST, allow_empty=True))}
    assert (rules["id_column"].required, rules["k"].required, rules["k"].default, rules["tags"].default) == (
        True, False, 5, ())
    assert _Toy(**parse_mapping({"id_column": "id", "k": "3"}, rules.values(), Context.for_model("m"))) == _Toy("id", 3)
    with pytest.raises(TypeError, match="do not match the fields"):
        bind(_Toy, Rule("k", INT), Rule("id_column", STR))
    with pytest.raises(ValueError, match="unknown kind"):
        Rule("x", "decimal")
