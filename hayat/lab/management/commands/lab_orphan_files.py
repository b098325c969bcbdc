"""Lists, and with --delete removes, stored lab files that no attachment refers to.

A group upload removes what it wrote when it fails, and a deletion removes its files after commit. Files
can only be left behind when a caller wraps an upload in a larger transaction that it later rolls back,
or when the server stops between a commit and the removal. Recent files are skipped: they may belong
to an upload still in progress.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from hayat.core import clock
from hayat.lab import files
from hayat.lab.models import Attachment


def stored_names(folder: str = files.ROOT) -> Iterator[str]:
    if not default_storage.exists(folder):
        return
    directories, names = default_storage.listdir(folder)
    for name in names:
        yield f"{folder}/{name}"
    for directory in directories:
        yield from stored_names(f"{folder}/{directory}")


def orphans(*, older_than: timedelta) -> list[str]:
    known = set()
    for stored, thumbnail in Attachment.objects.values_list("file", "thumbnail").iterator(chunk_size=2000):
        known.add(stored)
        if thumbnail:
            known.add(thumbnail)
    cutoff = clock.now() - older_than
    return sorted(name for name in stored_names() if name not in known
                  and default_storage.get_modified_time(name) < cutoff)


class Command(BaseCommand):
    help = "List lab files that no attachment refers to; --delete removes them."

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="Remove the files found.")
        parser.add_argument("--older-than-minutes", type=int, default=60,
                            help="Only files at least this old (default 60), so uploads in progress are safe.")

    def handle(self, *args, delete: bool, older_than_minutes: int, **options):
        found = orphans(older_than=timedelta(minutes=max(0, older_than_minutes)))
        for name in found:
            if delete:
                default_storage.delete(name)
            self.stdout.write(f"{'deleted' if delete else 'orphan'} {name}")
        self.stdout.write(f"{len(found)} file(s) {'deleted' if delete else 'not referred to by any attachment'}.")
