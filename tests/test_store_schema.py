"""Named schema steps: a file created at any step upgrades to the schema of a fresh one."""

from __future__ import annotations

import re
import sqlite3

import pytest
import sqlite_utils

from digest import store
from digest.store import schema


def signature(path) -> dict:
    """Everything that makes up a schema, independent of how the SQL text was spelled."""
    conn = sqlite3.connect(path)
    out: dict = {}
    objects = conn.execute(
        "select type, name, tbl_name, sql from sqlite_master where name not like 'sqlite_%'"
    ).fetchall()
    for kind, name, table, sql in objects:
        if kind == "table":
            columns = conn.execute(f'pragma table_xinfo("{name}")').fetchall()
            # (name, declared type, not null, default, pk position); types compared case-blind
            out[("table", name)] = [
                (c[1], c[2].upper(), c[3], (c[4] or "").strip("'\""), c[5]) for c in columns
            ]
            if sql and sql.upper().startswith("CREATE VIRTUAL"):
                out[("virtual", name)] = re.sub(r"\s+", " ", sql.lower()).replace('"', "")
        elif kind == "index":
            info = conn.execute(f'pragma index_xinfo("{name}")').fetchall()
            unique = conn.execute(f'select "unique" from pragma_index_list("{table}") '
                                  "where name = ?", [name]).fetchone()  # fmt: skip
            where = re.search(r"\bwhere\b(.*)$", (sql or "").lower())
            out[("index", name)] = (
                table,
                [(c[2], c[3]) for c in info if c[5]],  # key columns and their order
                unique[0],
                where.group(1).strip() if where else None,
            )
        elif kind == "trigger":
            out[("trigger", name)] = re.sub(r"\s+", " ", sql.lower()).replace('"', "")
    conn.close()
    return out


def applied(path) -> set[tuple[str, str]]:
    conn = sqlite3.connect(path)
    rows = conn.execute("select migration_set, name from _sqlite_migrations").fetchall()
    conn.close()
    return set(rows)


def steps(migrations):
    """Every step of a set, in order (all are pending on an empty database)."""
    return migrations.pending(sqlite_utils.Database(memory=True))


def every_step() -> list[tuple[int, int]]:
    """(set index, number of its steps applied) for every point a file could stop at."""
    return [
        (index, count)
        for index, migrations in enumerate(store.MIGRATION_SETS)
        for count in range(len(steps(migrations)) + 1)
    ]


def create_at(path, set_index: int, count: int) -> None:
    """A file as an older Parley left it: earlier sets whole, then ``count`` steps of one set."""
    db = sqlite_utils.Database(path)
    for migrations in store.MIGRATION_SETS[:set_index]:
        migrations.apply(db)
    target = store.MIGRATION_SETS[set_index]
    prefix = schema.Migrations(target.name)
    for step in steps(target)[:count]:
        prefix(name=step.name)(step.fn)
    prefix.apply(db)
    db.close()


def test_every_step_has_a_name_and_each_component_starts_with_one_creation_step():
    for migrations in store.MIGRATION_SETS:
        names = [step.name for step in steps(migrations)]
        assert len(set(names)) == len(names)
        assert names[0] in ("create", "create_tables")
    meetings = next(m for m in store.MIGRATION_SETS if m.name == "meetings")
    assert [s.name for s in steps(meetings)] == ["create"]


@pytest.mark.parametrize(("set_index", "count"), every_step())
def test_a_file_created_at_any_step_upgrades_to_the_fresh_schema(tmp_path, set_index, count):
    fresh = tmp_path / "fresh.db"
    store.open_db(fresh).close()
    old = tmp_path / "old.db"
    create_at(old, set_index, count)
    store.open_db(old).close()
    assert signature(old) == signature(fresh)
    assert applied(old) == applied(fresh)


def test_reopening_applies_nothing_and_writes_nothing(db_path):
    store.open_db(db_path).close()
    before = db_path.stat().st_mtime_ns, applied(db_path)
    db = store.open_db(db_path)
    assert store.migrate(db) == []
    db.close()
    assert applied(db_path) == before[1]


def test_a_failing_step_leaves_nothing_half_done(db_path, monkeypatch):
    store.open_db(db_path).close()
    broken = schema.Migrations("scratch")

    @broken(name="create")
    def _create(database):
        database["scratch"].create({"id": int}, pk="id")

    @broken(name="fails")
    def _fails(database):
        database["scratch2"].create({"id": int}, pk="id")
        raise RuntimeError("step failed")

    monkeypatch.setattr(store, "MIGRATION_SETS", [*store.MIGRATION_SETS, broken])
    with pytest.raises(RuntimeError):
        store.open_db(db_path)
    db = sqlite_utils.Database(db_path)
    assert "scratch" not in db.table_names() and "scratch2" not in db.table_names()
    assert ("scratch", "create") not in applied(db_path)


def test_a_file_recorded_by_position_before_named_steps_is_adopted(tmp_path):
    fresh = tmp_path / "fresh.db"
    store.open_db(fresh).close()
    old = tmp_path / "old.db"
    db = sqlite_utils.Database(old)
    for migrations in store.MIGRATION_SETS:
        first = schema.Migrations(migrations.name)
        for step in steps(migrations)[:1]:
            first(name=step.name)(step.fn)
        first.apply(db)
    db.execute("drop table _sqlite_migrations")
    db["schema_versions"].insert_all(
        [{"component": c, "version": v} for c, v in
         {"articles": 1, "meetings": 5, "sources": 1}.items()],
        pk="component",
    )  # fmt: skip
    db.close()
    store.open_db(old).close()
    assert signature(old) == signature(fresh)
    assert "schema_versions" not in sqlite_utils.Database(old).table_names()
