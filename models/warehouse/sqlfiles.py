"""Read the project's SQL files (all SQL lives under sql/) and order the model files."""
from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"
LAYERS = ("staging", "intermediate", "marts")
_REFERENCE = re.compile(r"\b(staging|intermediate|marts)\.(\w+)")
VIEWS = "build/views.toml"


@dataclass(frozen=True)
class Model:
    schema: str
    name: str
    sql: str

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"

    @property
    def kind(self) -> str:
        """What the build makes it as: "view" when sql/build/views.toml names it, else "table"."""
        return "view" if self.qualified in views() else "table"


@lru_cache(maxsize=None)
def read(relative: str) -> str:
    return (SQL_DIR / relative).read_text(encoding="utf-8")


def digest(paths: Iterable[Path]) -> hashlib._Hash:
    """DuckDB's version and these files of sql/ (each its name and text, read as read() reads it), hashed: what rows
    made by them depend on (the parse's fingerprint, the build's definition). The caller may add to a copy."""
    import duckdb

    hashed = hashlib.sha256(duckdb.__version__.encode())
    for path in sorted(paths):
        relative = path.relative_to(SQL_DIR).as_posix()
        hashed.update(relative.encode() + b"\0" + read(relative).encode())
    return hashed


def toml(relative: str) -> dict:
    """A TOML file of sql/, parsed once per text (a build reads its four several times, ~10 ms of parsing). Shared by
    every caller: read it, never change it."""
    return _parsed(read(relative))


@lru_cache(maxsize=None)
def _parsed(text: str) -> dict:
    return tomllib.loads(text)


@lru_cache(maxsize=None)
def views() -> frozenset[str]:
    """The models ("schema.name") the build makes as views (sql/build/views.toml)."""
    return frozenset(toml(VIEWS)["views"])


_TEMPORARY_MACRO = re.compile(r"\bcreate or replace temp macro (\w+)", re.IGNORECASE)


def apply_macros(con, table_macros: bool = True, schema: str | None = None, scalar: bool = True) -> None:
    """Create the macros on a connection: sql/macros (scalar, which models use; `scalar` off: a connection that
    has them already) and, for readers of a built snapshot, sql/table_macros (which read the models, so need them
    to exist). They are temporary unless `schema` ("catalog.schema") names where to keep them: a connection's
    temporary catalog is its own, and each of its cursors is a connection of its own, while a schema is seen by
    every cursor."""
    folders = ("macros",) * scalar + ("table_macros",) * table_macros
    for folder in folders:
        for sql in _macros_in_order(folder, schema):
            con.execute(sql)


@lru_cache(maxsize=None)
def _macros_in_order(folder: str, schema: str | None = None) -> tuple[str, ...]:
    """The folder's macro files in the order they must be made (_ordered), made in `schema` when it is given."""
    return tuple(_TEMPORARY_MACRO.sub(rf"create or replace macro {schema}.\1", sql) if schema else sql
                 for sql in _ordered(folder))


@lru_cache(maxsize=None)
def _ordered(folder: str) -> tuple[str, ...]:
    """The folder's macro files, each after the macros of the folder it calls (DuckDB binds a table macro's
    body when it is created, so a macro it calls must exist by then), else by name. Worked out once a process,
    whatever schema they are made in (a build makes them in the work database and in the new snapshot), as read()
    reads each file once: every snapshot opened (each report of the command line, each new snapshot in the app)
    would otherwise order them again, about 70 ms."""
    texts = {path.stem: read(f"{folder}/{path.name}") for path in sorted((SQL_DIR / folder).glob("*.sql"))}
    defined = {name: _TEMPORARY_MACRO.findall(sql) for name, sql in texts.items()}  # a file may make several
    ordered: list[str] = []

    def visit(name: str, chain: tuple[str, ...]) -> None:
        if name in ordered:
            return
        if name in chain:
            raise RuntimeError(f"sql/{folder} macros call each other in a cycle: " + " -> ".join(chain + (name,)))
        for other, macros in defined.items():
            if other != name and any(re.search(rf"\b{macro}\s*\(", texts[name]) for macro in macros):
                visit(other, chain + (name,))
        ordered.append(name)

    for name in texts:
        visit(name, ())
    return tuple(texts[name] for name in ordered)


@lru_cache(maxsize=None)
def reads(sql: str) -> frozenset[str]:
    """The models ("schema.name") a model's SQL reads. Worked out once per text, as read() reads each file once: a
    build asks ~270 times, for the same few dozen texts (~15 ms of a tiny company's build)."""
    return frozenset(".".join(m) for m in _REFERENCE.findall(sql))


@lru_cache(maxsize=None)
def models() -> tuple[Model, ...]:
    """Every model of the staging, intermediate and marts layers, each after the models it reads. Worked out once a
    process, as read() reads each file once: a build asks for them four times (~5 ms each at 250 x 10 clients)."""
    found = {
        f"{layer}.{path.stem}": Model(layer, path.stem, read(f"{layer}/{path.name}"))
        for layer in LAYERS
        for path in sorted((SQL_DIR / layer).glob("*.sql"))
    }
    ordered: list[Model] = []
    state: dict[str, str] = {}

    def visit(key: str, chain: tuple[str, ...]) -> None:
        if state.get(key) == "done":
            return
        if state.get(key) == "visiting":
            raise RuntimeError("SQL models depend on each other in a cycle: " + " -> ".join(chain + (key,)))
        state[key] = "visiting"
        model = found[key]
        for ref in sorted(reads(model.sql) - {key}):
            if ref not in found:
                raise RuntimeError(f"sql/{model.schema}/{model.name}.sql reads {ref}, which no SQL file defines")
            visit(ref, chain + (key,))
        state[key] = "done"
        ordered.append(model)

    for key in found:
        visit(key, ())
    return tuple(ordered)
