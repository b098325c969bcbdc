"""What the benchmarks share: each database engine measured in a child process of its own, on a new database.

SQLite runs on a temporary file; PostgreSQL and MariaDB/MySQL on a database of the bench's name, dropped and
created again, at HAYAT_BENCH_POSTGRES / HAYAT_BENCH_MYSQL when those are set.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_children(script: str, engines: str, *, database: str, arguments: list[str], keep: bool = False) -> None:
    """Runs `script --child <engine> *arguments` once per engine named in `engines` ("sqlite,postgresql")."""
    for engine in engines.split(","):
        with tempfile.TemporaryDirectory(prefix="hayat-bench-") as folder:
            url = database_url(engine, folder=folder, database=database, keep=keep)
            if engine in {"postgresql", "mysql"} and not keep:
                recreate_database(engine, url)
            environment = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "hayat.settings",
                           "HAYAT_SECRET_KEY": os.environ.get("HAYAT_SECRET_KEY", "bench-only-" + "x" * 40),
                           "HAYAT_DATA_DIR": folder, "HAYAT_LOG_LEVEL": "WARNING"}
            subprocess.run([sys.executable, script, "--child", engine, *arguments], env=environment, cwd=ROOT,
                           check=True)


def database_url(engine: str, *, folder: str, database: str, keep: bool = False) -> str:
    if engine == "sqlite":
        kept = os.environ.get("HAYAT_BENCH_SQLITE") if keep else None
        if keep and not kept:
            raise SystemExit("Give HAYAT_BENCH_SQLITE, the path of the SQLite file to keep.")
        return f"sqlite:///{kept or folder + '/bench.sqlite3'}"
    if engine == "postgresql":
        return os.environ.get("HAYAT_BENCH_POSTGRES", f"postgres://postgres@127.0.0.1:5432/{database}")
    if engine == "mysql":
        return os.environ.get("HAYAT_BENCH_MYSQL", f"mysql://root@127.0.0.1:3306/{database}")
    raise SystemExit(f"Unknown engine {engine!r}: use sqlite, postgresql or mysql.")


def recreate_database(engine: str, url: str) -> None:
    name = url.rsplit("/", 1)[1]
    if engine == "postgresql":
        import psycopg

        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
    else:
        import pymysql

        host = url.split("@", 1)[1].split("/")[0]
        connection = pymysql.connect(host=host.split(":")[0], port=int(host.split(":")[1]) if ":" in host else 3306,
                                     user="root")
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
            cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        connection.close()
