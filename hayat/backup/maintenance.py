"""Maintenance mode while a restore runs: a flag file in the data folder, outside every restored table.

The web answers other users with a maintenance page (MaintenanceMiddleware) and the worker holds back its
jobs (hold_jobs_during_maintenance) while the flag is there. The flag also carries the restore's progress,
since the database itself is being replaced. The restoring process touches it every HEARTBEAT (`held`), so
a flag nobody has touched for STALE (a restore killed half-way) no longer holds anybody back.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.shortcuts import render

from hayat.core import clock

STALE = timedelta(minutes=5)
HEARTBEAT_SECONDS = 30
WAIT_SECONDS = 2
WRITING = threading.Lock()  # the heartbeat and the progress reports of one process take turns
RESTORE_JOB = "hayat.backup.jobs.restore"


def flag_path() -> Path:
    return Path(settings.DATA_DIR) / "maintenance.json"


def begin(*, by: str, archive: str) -> None:
    update(by=by, archive=archive, percent=0, step="")


@contextlib.contextmanager
def held(*, by: str, archive: str) -> Iterator[None]:
    """Maintenance for as long as the block runs, kept fresh by a heartbeat, lifted at the end."""
    if not active():
        begin(by=by, archive=archive)
    stop = threading.Event()
    heartbeat = threading.Thread(target=beat_until, args=(stop,), daemon=True)
    heartbeat.start()
    try:
        yield
    finally:
        stop.set()
        heartbeat.join()
        end()


def beat_until(stop: threading.Event) -> None:
    while not stop.wait(HEARTBEAT_SECONDS):
        update()


def update(**facts) -> None:
    """Writes the flag atomically (a new file renamed over the old one), so a reader never sees half of it."""
    path = flag_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with WRITING:
        current = state() or {}
        current.update(facts, updated_at=clock.now().isoformat())
        temporary = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        temporary.write_text(json.dumps(current, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, path)


def end() -> None:
    flag_path().unlink(missing_ok=True)


def state() -> dict | None:
    try:
        return json.loads(flag_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def active() -> bool:
    current = state()
    if not current:
        return False
    return clock.now() - datetime.fromisoformat(current["updated_at"]) < STALE


class MaintenanceMiddleware:
    """Everyone but the Admins following the restore gets a 503 maintenance page while the flag stands."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if active() and not self.may_pass(request):
            return render(request, "backup/maintenance.html", {"restore": state()}, status=503)
        return self.get_response(request)

    @staticmethod
    def may_pass(request) -> bool:
        from hayat.core.policy import can

        if request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return True
        return request.path_info.startswith("/backup/") and can(request.user, "ops.backup")


def hold_jobs_during_maintenance(sender, func, task, **kwargs) -> None:
    """django-q's pre_execute: a job other than the restore waits until the restore is over."""
    if getattr(func, "__module__", "") + "." + getattr(func, "__name__", "") == RESTORE_JOB:
        return
    while active():
        time.sleep(WAIT_SECONDS)
