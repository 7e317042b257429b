"""Benchmark ``manage.py seed_demo`` on a fresh database.

    .venv/bin/python bench/seed_demo.py                      # SQLite file in a temp dir
    .venv/bin/python bench/seed_demo.py --database-url postgres://postgres@127.0.0.1:5432/seedbench

Creates a fresh database (a new SQLite file, or drops and recreates the PostgreSQL
database named in the URL), migrates it, runs the seed in a child process and prints
the wall time, the child's peak memory (ru_maxrss) and the row counts.
"""

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
TABLES = [
    ("dealers", "dealers_dealer"),
    ("sales reps", "dealers_salesrep"),
    ("products", "catalog_product"),
    ("tier prices", "catalog_tierprice"),
    ("stock rows", "catalog_stock"),
    ("sales history", "catalog_saleshistory"),
    ("dealer facts", "catalog_dealerpurchase"),
    ("users", "auth_user"),
]


def fresh_postgres(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or name in {"postgres", "template0", "template1"}:
        sys.exit(f"Refusing to recreate the database {name!r}.")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def count_rows(url: str) -> dict[str, int]:
    if url.startswith("sqlite"):
        connection = sqlite3.connect(urlsplit(url).path)
    else:
        import psycopg

        connection = psycopg.connect(url)
    try:
        return {
            label: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for label, table in TABLES
        }
    finally:
        connection.close()


def run_child(arguments: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Run manage.py in a child; return its wall time, CPU time and peak RSS (bytes)."""
    started = time.perf_counter()
    child = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env
    )
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    if child.returncode:
        sys.exit(f"manage.py {arguments[0]} failed with exit code {child.returncode}")
    cpu = usage.ru_utime + usage.ru_stime
    return elapsed, cpu, usage.ru_maxrss * 1024  # ru_maxrss is in KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dealers", type=int, default=10_000)
    parser.add_argument("--products", type=int, default=2_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--database-url",
        default="",
        help="a PostgreSQL URL whose database is dropped and recreated",
    )
    args = parser.parse_args()

    workdir = tempfile.TemporaryDirectory(prefix="seed-bench-")
    if args.database_url:
        url = args.database_url
        fresh_postgres(url)
    else:
        url = f"sqlite:///{Path(workdir.name) / 'bench.sqlite3'}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
    }
    engine = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    print(f"{engine}: migrating {url}", flush=True)
    migrate_seconds, _cpu, _rss = run_child(
        ["migrate", "--no-input", "--skip-checks", "-v", "0"], env
    )
    seed_seconds, seed_cpu, seed_rss = run_child(
        [
            "seed_demo",
            "--skip-checks",
            f"--dealers={args.dealers}",
            f"--products={args.products}",
            f"--months={args.months}",
            f"--seed={args.seed}",
        ],
        env,
    )
    counts = count_rows(url)

    print()
    print(
        f"seed_demo --dealers {args.dealers} --products {args.products} "
        f"--months {args.months} on {engine}"
    )
    print(f"  migrate        {migrate_seconds:8.1f} s")
    print(f"  seed wall time {seed_seconds:8.1f} s  (process start-up included)")
    print(f"  seed CPU time  {seed_cpu:8.1f} s  (user + system, seed process)")
    print(f"  seed peak RSS  {seed_rss / 2**20:8.0f} MiB")
    if engine == "SQLite":
        size = Path(urlsplit(url).path).stat().st_size
        print(f"  database file  {size / 2**20:8.0f} MiB")
    for label, number in counts.items():
        print(f"  {label:<14} {number:>10,}")
    workdir.cleanup()


if __name__ == "__main__":
    main()
