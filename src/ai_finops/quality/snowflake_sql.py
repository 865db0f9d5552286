"""Offline Snowflake portability check: compile every model and data test for the snowflake target
without a connection, then check the compiled SQL for what Snowflake would reject.

`dbt parse --target snowflake` proves the project loads with the Snowflake adapter but renders no SQL.
`dbt compile` renders it, but needs a connection where a macro introspects the warehouse: here only
`optional_column` (schema-drift tolerant staging) does, through `adapter.get_columns_in_relation`.
That one call is answered from a DuckDB file holding the same landing tables (or "no columns", so
every optional column compiles to its typed-null branch); nothing else is patched and unit tests
(which need the warehouse to type their fixtures) are not compiled.

The compiled SQL is then checked against what DuckDB accepts and Snowflake does not: function names
outside a list of Snowflake functions, cast types Snowflake lacks, `//` (a comment in Snowflake),
DuckDB's `->>`, non-greedy or look-around regular expressions (Snowflake's POSIX engine has neither),
backslashes in regex literals (Snowflake string literals eat them), and anything sqlglot's Snowflake
parser cannot read. Contract data types of every model are checked against Snowflake's types too.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Snowflake functions (docs.snowflake.com/sql-reference/functions-all) the project uses or is likely to:
# add a name here only after checking it exists in Snowflake with the same meaning.
SNOWFLAKE_FUNCTIONS = _words(
    """
    abs any_value approx_count_distinct array_agg array_append array_cat array_compact array_construct
    array_contains array_size array_to_string arrays_overlap avg bitand bool_and bool_or boolor_agg booland_agg
    cast ceil ceiling charindex coalesce concat concat_ws contains convert_timezone corr count count_if
    covar_pop cume_dist current_date current_timestamp date date_from_parts date_part date_trunc dateadd
    datediff day dayofweek dayofweekiso dayofyear decode dense_rank div0 div0null endswith equal_null exp extract
    filter first_value flatten floor get get_path greatest hash iff ifnull ilike initcap iff is_null_value
    json_extract_path_text lag last_day last_value lead least left length listagg ln log lower lpad ltrim max md5 md5_hex median
    min mod month nullif nullifzero number numeric nvl nvl2 object_construct object_construct_keep_null ntile parse_json percent_rank
    percentile_cont percentile_disc position pow power quarter rank ratio_to_report reduce regexp_count
    regexp_instr regexp_like regexp_replace regexp_substr repeat replace reverse right rlike round row_number
    rpad rtrim sha1 sha2 sign split split_part sqrt square startswith stddev stddev_pop stddev_samp strtok
    substr substring sum sysdate time_slice timestamp_from_parts timestampadd timestampdiff to_array to_boolean
    to_char to_date to_decimal to_double to_number to_time to_timestamp to_timestamp_ltz to_timestamp_ntz
    to_timestamp_tz to_varchar to_variant transform translate trim trunc truncate try_cast try_parse_json
    try_to_boolean try_to_date try_to_decimal try_to_double try_to_number try_to_timestamp
    try_to_timestamp_ntz try_to_timestamp_tz typeof upper uuid_string var_pop var_samp variance week
    width_bucket year zeroifnull
    """
)
# Words that precede "(" in SQL without being function calls; type names with a size (number(38, 0)).
SQL_WORDS = _words(
    """
    all and any as between by case char cross decimal distinct else end exists from full group having in
    inner intersect is join lateral left limit minus not numeric on or order outer over partition qualify
    right select set table then union using values varchar when where with within
    """
)
SNOWFLAKE_TYPES = _words(
    """
    array bigint binary boolean byteint char character date datetime decimal double float float4 float8
    geography int integer number numeric object real smallint string text time timestamp timestamp_ltz
    timestamp_ntz timestamp_tz tinyint varbinary varchar variant
    """
)
REGEX_FUNCTIONS = ("regexp_substr", "regexp_instr", "regexp_like", "regexp_replace", "regexp_count", "rlike")
_STRING = re.compile(r"'(?:[^']|'')*'")
_LINE_COMMENT = re.compile(r"--[^\n]*")
_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.S)


@dataclass(frozen=True)
class Problem:
    node: str
    message: str

    def __str__(self) -> str:
        return f"{self.node}: {self.message}"


def _without_strings_and_comments(sql: str) -> str:
    sql = _BLOCK_COMMENT.sub(" ", sql)
    sql = _STRING.sub("''", sql)
    return _LINE_COMMENT.sub(" ", sql)


def _cast_target(code: str, start: int) -> tuple[str, str]:
    """The target type of the cast whose arguments start at `start`: the word after its last top-level ` as `."""
    depth, end = 0, len(code)
    for position in range(start, len(code)):
        char = code[position]
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                end = position
                break
            depth -= 1
    inner = code[start:end]
    # Blank out nested parentheses so only the cast's own ` as ` is seen.
    while re.search(r"\([^()]*\)", inner):
        inner = re.sub(r"\([^()]*\)", lambda m: " " * len(m.group(0)), inner)
    match = re.search(r"\bas\s+([a-zA-Z_][a-zA-Z0-9_]*)\s*(\[\])?\s*$", inner, re.I | re.S)
    return (match.group(1), match.group(2) or "") if match else ("?", "")


def check_sql(sql: str, node: str = "sql") -> list[Problem]:
    """What Snowflake would reject in one compiled statement (an empty list when nothing is found)."""
    import sqlglot
    from sqlglot.errors import ParseError

    problems: list[Problem] = []
    code = _without_strings_and_comments(sql)
    for name in sorted({m.group(1).lower() for m in re.finditer(r"\b([a-zA-Z_][a-zA-Z0-9_]*)\s*\(", code)}):
        if name not in SNOWFLAKE_FUNCTIONS and name not in SQL_WORDS and name not in SNOWFLAKE_TYPES:
            problems.append(Problem(node, f"function {name}() is not a known Snowflake function (dispatch it in macros/cross_db)"))
    cast_types = [_cast_target(code, m.end()) for m in re.finditer(r"\b(?:try_)?cast\s*\(", code, re.I)]
    cast_types += re.findall(r"::\s*([a-zA-Z_][a-zA-Z0-9_]*)(\[\])?", code)
    for type_name, list_suffix in cast_types:
        if type_name.lower() not in SNOWFLAKE_TYPES or list_suffix:
            problems.append(Problem(node, f"cast to {type_name}{list_suffix}, not a Snowflake type"))
    if "//" in code:
        problems.append(Problem(node, "`//` starts a comment in Snowflake (DuckDB integer division): use a dispatched macro"))
    if "->>" in code:
        problems.append(Problem(node, "`->>` (DuckDB JSON operator) is not Snowflake SQL: use ai_finops.json_extract_scalar"))
    for match in re.finditer(r"\b(" + "|".join(REGEX_FUNCTIONS) + r")\s*\(", sql, re.I):
        # The pattern is the first string literal after the call's opening parenthesis.
        literal = _STRING.search(sql, match.end())
        if literal is None:
            continue
        pattern = literal.group(0)[1:-1]
        if re.search(r"[+*?}]\?", pattern):
            problems.append(
                Problem(node, f"non-greedy quantifier in {pattern!r}: Snowflake regexps have none (ai_finops.regexp_text_before)")
            )
        if re.search(r"\(\?[=!<]", pattern):
            problems.append(Problem(node, f"look-around in {pattern!r}: not supported by Snowflake regexps"))
        if "\\" in pattern:
            problems.append(Problem(node, f"backslash in {pattern!r}: Snowflake string literals consume it; use [0-9] style classes"))
    try:
        sqlglot.parse(sql, read="snowflake")
    except ParseError as exc:
        problems.append(Problem(node, f"sqlglot cannot parse it as Snowflake SQL: {str(exc).splitlines()[0]}"))
    return problems


def check_contract_types(manifest: dict) -> list[Problem]:
    """Every declared data_type of a contracted model must be a Snowflake type (as rendered for the snowflake target)."""
    problems = []
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model" or not node["config"].get("contract", {}).get("enforced"):
            continue
        for column in node["columns"].values():
            data_type = (column.get("data_type") or "").strip().lower()
            base = re.split(r"[\s(]", data_type, maxsplit=1)[0]
            if base not in SNOWFLAKE_TYPES:
                problems.append(Problem(node["name"], f"contract data_type {data_type!r} of {column['name']} is not a Snowflake type"))
    return problems


def _columns_lookup(duckdb_path: Path | None):
    """get_columns_in_relation answered from a DuckDB file with the same landing tables (or no columns)."""
    from dbt.adapters.snowflake.column import SnowflakeColumn

    def get_columns_in_relation(self, relation):
        if duckdb_path is None:
            return []
        import duckdb

        con = duckdb.connect(str(duckdb_path), read_only=True)
        try:
            rows = con.execute(
                "select column_name, data_type from information_schema.columns"
                " where lower(table_schema) = lower(?) and lower(table_name) = lower(?) order by ordinal_position",
                [relation.schema, relation.identifier],
            ).fetchall()
        finally:
            con.close()
        return [SnowflakeColumn(column=name, dtype=dtype) for name, dtype in rows]

    return get_columns_in_relation


def compile_for_snowflake(project: Path, profiles_dir: Path, target_path: Path, columns_from: Path | None = None) -> dict:
    """`dbt compile --target snowflake` of models and data tests, offline; returns the manifest."""
    from dbt.adapters.snowflake import SnowflakeAdapter
    from dbt.cli.main import dbtRunner

    original = SnowflakeAdapter.get_columns_in_relation
    original_get_relation = SnowflakeAdapter.get_relation
    SnowflakeAdapter.get_columns_in_relation = _columns_lookup(columns_from)
    # is_incremental() asks whether the model's table exists: offline it does not (first-build SQL)
    SnowflakeAdapter.get_relation = lambda self, database, schema, identifier: None
    try:
        result = dbtRunner().invoke(
            [
                "compile",
                "--target",
                "snowflake",
                "--project-dir",
                str(project),
                "--profiles-dir",
                str(profiles_dir),
                "--target-path",
                str(target_path),
                "--no-populate-cache",
                "--no-partial-parse",
                "--select",
                "resource_type:model",
                "resource_type:test",
                "--quiet",
            ]
        )
    finally:
        SnowflakeAdapter.get_columns_in_relation = original
        SnowflakeAdapter.get_relation = original_get_relation
    if not result.success:
        raise RuntimeError(f"dbt compile --target snowflake failed: {result.exception or result.result}")
    return json.loads((target_path / "manifest.json").read_text())


def check_project(project: Path, profiles_dir: Path, target_path: Path, columns_from: Path | None = None) -> tuple[int, list[Problem]]:
    """Compile for Snowflake and check every compiled model and data test; returns (nodes checked, problems)."""
    manifest = compile_for_snowflake(project, profiles_dir, target_path, columns_from)
    problems = check_contract_types(manifest)
    checked = 0
    for node in manifest["nodes"].values():
        if node["resource_type"] not in ("model", "test") or not node.get("compiled_code"):
            continue
        checked += 1
        problems.extend(check_sql(node["compiled_code"], node["name"]))
    return checked, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ai_finops.quality.snowflake_sql", description=__doc__.splitlines()[0])
    parser.add_argument("--project-dir", default=".")
    parser.add_argument("--profiles-dir", default=".dbt")
    parser.add_argument("--target-path", default="target/snowflake")
    parser.add_argument("--columns-from", help="DuckDB file whose landing tables answer column introspection")
    ns = parser.parse_args(argv)
    checked, problems = check_project(
        Path(ns.project_dir).resolve(),
        Path(ns.profiles_dir).resolve(),
        Path(ns.target_path).resolve(),
        Path(ns.columns_from) if ns.columns_from else None,
    )
    for problem in problems:
        print(f"SNOWFLAKE: {problem}", file=sys.stderr)
    print(f"[snowflake] {checked} compiled models and data tests checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
