"""The staging models parse each JSON value once per row: `x->>'$.Field'` (and `x->'$.Field'`) parses the whole of x
again at each call, so a model reads a value's fields with one json_extract_string of a list of paths (the same
function, one parse; docs/DECISIONS.md, "The staging models parse each payload once"). Without timing: the SQL
itself is read."""
from __future__ import annotations

import re
from collections import Counter

from models.warehouse.sqlfiles import SQL_DIR

_COMMENT = re.compile(r"--[^\n]*")
_ARROW = re.compile(r"\b(\w+)\s*->>?")  # the value an arrow reads a field of: `payload` in payload->>'$.TxnDate'
# a macro handed a parse: DuckDB puts the argument in each place the body names its parameter, so a macro that reads
# several of the texts parses again for each (sales_line(json_extract_string(...)) took twice main's time)
_HANDED = re.compile(r"\b(\w+)\(\s*json_extract(?:_string)?\(")
_MACRO = re.compile(r"\bmacro\s+(\w+)\s*\(")


def read_by_arrow_more_than_once(sql: str) -> list[str]:
    """The values the SQL reads more than one field of with an arrow, each a parse of its own."""
    return sorted(value for value, n in Counter(_ARROW.findall(_COMMENT.sub("", sql))).items() if n > 1)


def parses_handed_to_a_macro(sql: str, macros: set[str]) -> list[str]:
    """The macros (of `macros`) the SQL hands a parse to straight, rather than a column that names it once."""
    return sorted(name for name in _HANDED.findall(_COMMENT.sub("", sql)) if name in macros)


def macros() -> set[str]:
    """The names of the macros of sql/macros."""
    return {name for path in (SQL_DIR / "macros").glob("*.sql") for name in _MACRO.findall(path.read_text())}


def test_the_scan_sees_fields_read_one_by_one():
    assert read_by_arrow_more_than_once(
        "select payload->>'$.DocNumber', (payload ->> '$.TxnDate')::date, line->'$.Detail' from t") == ["payload"]
    assert read_by_arrow_more_than_once(
        "select json_extract_string(payload, ['$.DocNumber', '$.TxnDate']) as f, line->>'$.Amount' from t") == []
    assert read_by_arrow_more_than_once("-- payload->>'$.A', payload->>'$.B' in a comment\nselect 1") == []
    assert "sales_line" in macros()
    assert parses_handed_to_a_macro("select sales_line(json_extract_string(line, sales_line_paths())) from t",
                                    {"sales_line"}) == ["sales_line"]
    assert parses_handed_to_a_macro("select sales_line(texts), coalesce(json_extract(p, '$.Line[*]'), '[]') from t",
                                    {"sales_line"}) == []


def test_no_staging_model_or_macro_reads_a_value_field_by_field():
    files = [*sorted((SQL_DIR / "staging").glob("*.sql")), *sorted((SQL_DIR / "macros").glob("*.sql"))]
    found = {path.name: read_by_arrow_more_than_once(path.read_text()) for path in files}
    assert {name: values for name, values in found.items() if values} == {}
    handed = {path.name: parses_handed_to_a_macro(path.read_text(), macros()) for path in files}
    assert {name: calls for name, calls in handed.items() if calls} == {}
