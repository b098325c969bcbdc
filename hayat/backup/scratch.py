"""Work done in a scratch SQLite database, in a child process of its own: verifying an archive by restoring
it, and bringing an older archive up to this Hayat's migrations before it is restored for real."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from hayat.backup.loading import IncompatibleArchive


def restore_into_scratch(path: Path) -> list[str]:
    """What differs when the archive is restored into an empty database (nothing when it is whole)."""
    return run("--archive", str(path))["problems"]


def upgrade(path: Path, target: Path) -> Path:
    """Writes `target`: the archive's data migrated to this Hayat's version."""
    problems = run("--archive", str(path), "--upgrade-to", str(target))["problems"]
    if problems:
        raise IncompatibleArchive(_("The archive could not be brought up to this Hayat's version: %(problems)s.")
                                  % {"problems": "; ".join(problems)})
    return target


def run(*arguments: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="hayat-backup-scratch-") as work:
        report = Path(work) / "report.json"
        env = {**os.environ, "DATABASE_URL": "sqlite:///" + (Path(work) / "scratch.sqlite3").as_posix(),
               "HAYAT_MEDIA_ROOT": str(Path(work) / "media")}
        completed = subprocess.run(
            [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "backup_scratch", *arguments,
             "--report", str(report)], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True,
            encoding="utf-8", errors="replace", check=False)
        if completed.returncode != 0 or not report.exists():
            return {"problems": [_("the scratch restore stopped: %(error)s")
                                 % {"error": completed.stderr.strip().splitlines()[-1:] or completed.returncode}]}
        return json.loads(report.read_text(encoding="utf-8"))
