"""Compiles every locale/*/LC_MESSAGES/*.po of Hayat to .mo without GNU gettext (works on Windows)."""

from pathlib import Path

import polib
from django.core.management.base import BaseCommand

import hayat


class Command(BaseCommand):
    help = "Compile Hayat's translation catalogues (.po → .mo)."

    def handle(self, *args, **options):
        root = Path(hayat.__file__).parent
        compiled = 0
        for po_path in root.glob("**/locale/*/LC_MESSAGES/*.po"):
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            compiled += 1
        if compiled:
            self.stdout.write(f"Compiled {compiled} translation catalogue(s).")
