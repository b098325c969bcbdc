"""Deletes the uploads a stopped or killed server left half-received, before Hayat serves again."""

import shutil
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand


def empty_upload_folder() -> int:
    """Empties FILE_UPLOAD_TEMP_DIR (patient files, possibly) and returns how many entries it removed."""
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    removed = 0
    for entry in folder.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed += 1
    return removed


class Command(BaseCommand):
    help = "Empty the folder of half-received uploads; run only while no Hayat web server is running."

    def handle(self, *args, **options):
        empty_upload_folder()
