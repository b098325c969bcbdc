"""An installation is configured by environment variables; with none, it runs on SQLite in WAL mode with
IMMEDIATE transactions."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
READ_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
from django.db import connection
database = settings.DATABASES["default"]
answer = {name: getattr(settings, name) for name in
          ("ALLOWED_HOSTS", "TIME_ZONE", "LANGUAGE_CODE", "HAYAT_CURRENCY", "HAYAT_PHONE_REGION", "SECRET_KEY")}
answer.update(engine=database["ENGINE"], name=str(database["NAME"]), options=database.get("OPTIONS", {}))
if connection.vendor == "sqlite":
    with connection.cursor() as cursor:
        answer["journal_mode"] = cursor.execute("PRAGMA journal_mode").fetchone()[0]
print(json.dumps(answer))
"""


def settings_under(tmp_path, **variables: str) -> dict:
    """The settings a fresh process reads with only these Hayat variables set."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL" and not key.startswith("HAYAT_")}
    env.update(DJANGO_SETTINGS_MODULE="hayat.settings", HAYAT_DATA_DIR=str(tmp_path),
               HAYAT_SECRET_KEY="configuration-test-key-0123456789-abcdefghijklmnop")
    env.update(variables)
    result = subprocess.run([sys.executable, "-c", READ_SETTINGS], env=env, cwd=ROOT, capture_output=True,
                            text=True, timeout=120, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_with_no_database_url_hayat_runs_on_sqlite_in_wal_mode_with_immediate_transactions(tmp_path):
    found = settings_under(tmp_path)
    assert found["engine"] == "django.db.backends.sqlite3"
    assert Path(found["name"]) == tmp_path / "hayat.sqlite3"
    assert found["options"]["transaction_mode"] == "IMMEDIATE"
    assert found["journal_mode"] == "wal"


def test_the_hospital_settings_come_from_the_environment(tmp_path):
    found = settings_under(tmp_path, HAYAT_ALLOWED_HOSTS="hayat.lan, 10.0.0.5", HAYAT_TIME_ZONE="Asia/Manila",
                           HAYAT_CURRENCY="PHP", HAYAT_PHONE_REGION="PH", HAYAT_LANGUAGE="ru",
                           HAYAT_SECRET_KEY="from-the-environment-0123456789-abcdefghijklmnopqrstu")
    assert found["ALLOWED_HOSTS"] == ["hayat.lan", "10.0.0.5"]
    assert (found["TIME_ZONE"], found["HAYAT_CURRENCY"], found["HAYAT_PHONE_REGION"]) == ("Asia/Manila", "PHP", "PH")
    assert found["LANGUAGE_CODE"] == "ru"
    assert found["SECRET_KEY"] == "from-the-environment-0123456789-abcdefghijklmnopqrstu"


def test_postgresql_and_mariadb_are_chosen_by_database_url(tmp_path):
    postgres = settings_under(tmp_path, DATABASE_URL="postgres://hayat:secret@db.lan:5432/hayat")
    assert (postgres["engine"], postgres["name"]) == ("django.db.backends.postgresql", "hayat")
    mariadb = settings_under(tmp_path, DATABASE_URL="mysql://hayat:secret@db.lan:3306/hayat")
    assert (mariadb["engine"], mariadb["name"]) == ("django.db.backends.mysql", "hayat")
    assert mariadb["options"]["charset"] == "utf8mb4"
