"""Read the project's SQL files (all SQL lives under sql/) and order the model files."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"
LAYERS = ("staging", "intermediate", "marts")
_REFERENCE = re.compile(r"\b(staging|intermediate|marts)\.(\w+)")


@dataclass(frozen=True)
class Model:
    schema: str
    name: str
    sql: str

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"


@lru_cache(maxsize=None)
def read(relative: str) -> str:
    return (SQL_DIR / relative).read_text(encoding="utf-8")


def apply_macros(con, table_macros: bool = True) -> None:
    """Create the temporary macros on a connection: sql/macros (scalar, which models use) and, for
    readers of a built snapshot, sql/table_macros (which read the models, so need them to exist)."""
    folders = ("macros", "table_macros") if table_macros else ("macros",)
    for folder in folders:
        for path in sorted((SQL_DIR / folder).glob("*.sql")):
            con.execute(read(f"{folder}/{path.name}"))


def models() -> list[Model]:
    """Every model of the staging, intermediate and marts layers, each after the models it reads."""
    found = {
        f"{layer}.{path.stem}": Model(layer, path.stem, path.read_text(encoding="utf-8"))
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
        for ref in sorted({".".join(m) for m in _REFERENCE.findall(model.sql)} - {key}):
            if ref not in found:
                raise RuntimeError(f"sql/{model.schema}/{model.name}.sql reads {ref}, which no SQL file defines")
            visit(ref, chain + (key,))
        state[key] = "done"
        ordered.append(model)

    for key in found:
        visit(key, ())
    return ordered
