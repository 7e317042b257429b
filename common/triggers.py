"""Version counters the database moves itself: a trigger per table bumps the
``common.versions`` scope of every row a statement writes, in that statement's
transaction.

``common.versions.bump`` serves writes that go through one service (a promotion
approved, a price set). A dealer's own data (orders, lines, shipments, receivables,
money movements, carts) is written by many services, the ERP sync and the admin,
often with ``QuerySet.update`` or ``bulk_create``, which no signal sees. A trigger
sees every one of them, so the pages keyed on a dealer's scope cannot read a stale
entry whatever code writes next.

Each app installs the triggers of its own tables in a migration::

    operations = [
        triggers.VersionTrigger("orders_order", triggers.dealer("{row}.dealer_id")),
        triggers.VersionTrigger("orders_orderline", triggers.dealer(
            "(SELECT o.dealer_id FROM orders_order o WHERE o.id = {row}.order_id)"
        )),
        triggers.VersionTrigger("dealers_tier", "'orgs'"),
    ]

``scope`` is an SQL expression of the written row (``{row}``) naming the scope to
bump; NULL bumps nothing (a line whose order is already gone). PostgreSQL runs one
statement-level trigger per event that bumps each distinct scope once, in one order
(no deadlock between two writers); SQLite bumps per row.
"""

from django.db import migrations

SCOPE_COLUMN_SQL = "'dealer:' || ({expression})"


def dealer(expression: str) -> str:
    """The scope ``dealer:<id>`` (``common.versions.dealer``) of ``expression``."""
    return SCOPE_COLUMN_SQL.format(expression=expression)


# (event, PostgreSQL transition tables, the rows' aliases)
_EVENTS = (
    ("INSERT", "REFERENCING NEW TABLE AS new_rows", ("new_rows",)),
    (
        "UPDATE",
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
        ("old_rows", "new_rows"),
    ),
    ("DELETE", "REFERENCING OLD TABLE AS old_rows", ("old_rows",)),
)
_SQLITE_ROWS = {"INSERT": ("NEW",), "UPDATE": ("OLD", "NEW"), "DELETE": ("OLD",)}

# A new random number, never the old one plus one: a transaction that bumped, cached
# what it read and rolled back leaves an entry under a number no later write reuses.
_UPSERT_TAIL = "ON CONFLICT (scope) DO UPDATE SET number = {number}"
_PG_NUMBER = "floor(random() * 9e15)::bigint"
_SQLITE_NUMBER = "random()"


def _name(table: str, event: str) -> str:
    return f"{table}_v{event[0].lower()}"


def postgresql_sql(table: str, scope: str) -> list[str]:
    statements = []
    for event, referencing, aliases in _EVENTS:
        name = _name(table, event)
        rows = " UNION ".join(
            f"SELECT {scope.format(row='row_')} AS scope FROM {alias} AS row_"
            for alias in aliases
        )
        statements += [
            f"""
            CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO common_cacheversion (scope, number)
                SELECT changed.scope, {_PG_NUMBER}
                FROM (SELECT DISTINCT scope FROM ({rows}) AS written) AS changed
                WHERE changed.scope IS NOT NULL
                ORDER BY changed.scope
                {_UPSERT_TAIL.format(number=_PG_NUMBER)};
                RETURN NULL;
            END $$""",
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"""
            CREATE TRIGGER {name} AFTER {event} ON {table} {referencing}
            FOR EACH STATEMENT EXECUTE FUNCTION {name}()""",
        ]
    return statements


def sqlite_sql(table: str, scope: str) -> list[str]:
    statements = []
    for event, *_postgresql in _EVENTS:
        name = _name(table, event)
        bumps = "".join(
            f"""
                INSERT INTO common_cacheversion (scope, number)
                SELECT {scope.format(row=row)}, {_SQLITE_NUMBER}
                WHERE {scope.format(row=row)} IS NOT NULL
                {_UPSERT_TAIL.format(number=_SQLITE_NUMBER)};"""
            for row in _SQLITE_ROWS[event]
        )
        statements += [
            f"DROP TRIGGER IF EXISTS {name}",
            f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW BEGIN{bumps}\nEND",
        ]
    return statements


def drop_sql(vendor: str, table: str) -> list[str]:
    statements = []
    for event, *_rest in _EVENTS:
        name = _name(table, event)
        if vendor == "postgresql":
            statements += [
                f"DROP TRIGGER IF EXISTS {name} ON {table}",
                f"DROP FUNCTION IF EXISTS {name}()",
            ]
        else:
            statements.append(f"DROP TRIGGER IF EXISTS {name}")
    return statements


class VersionTrigger(migrations.RunPython):
    """Install (and on the way back drop) the triggers that bump ``scope`` whenever
    a statement writes ``table``."""

    def __init__(self, table: str, scope: str):
        self.table, self.scope = table, scope
        super().__init__(self._install, self._drop, elidable=False)

    def deconstruct(self):
        return (self.__class__.__name__, [self.table, self.scope], {})

    def describe(self):
        return f"Version trigger on {self.table}"

    def _run(self, schema_editor, statements_of):
        vendor = schema_editor.connection.vendor
        if vendor not in ("postgresql", "sqlite"):
            raise NotImplementedError(f"No version triggers for {vendor}.")
        for statement in statements_of(vendor):
            schema_editor.execute(statement, params=None)

    def _install(self, apps, schema_editor):
        self._run(
            schema_editor,
            lambda vendor: (postgresql_sql if vendor == "postgresql" else sqlite_sql)(
                self.table, self.scope
            ),
        )

    def _drop(self, apps, schema_editor):
        self._run(schema_editor, lambda vendor: drop_sql(vendor, self.table))
