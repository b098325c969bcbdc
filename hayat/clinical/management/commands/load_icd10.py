"""Loads the ICD-10 code list into Hayat (idempotent: run it again after a package update).

`--if-empty` makes it cheap enough for every start of the server: one query when codes are already there.
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hayat.clinical import icd
from hayat.clinical.models import IcdCode, IcdSource


class Command(BaseCommand):
    help = (
        "Load ICD-10 codes. Without options: the public-domain ICD-10-CM bundled with the simple-icd-10-cm "
        "package. A hospital licensed for WHO ICD-10 imports its own file: --csv codes.csv --source who "
        "(lines of code;title, UTF-8)."
    )
    # A data command run at every start right after `migrate`, which has just run the system checks.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--csv", type=Path, help="A UTF-8 file of code;title lines instead of ICD-10-CM.")
        parser.add_argument("--source", choices=IcdSource.values, default=None,
                            help="Where the list comes from (default: icd10cm, or local for --csv).")
        parser.add_argument("--only", metavar="FIRST-LAST",
                            help="Load only a range of codes, e.g. A00-B99 (quick set-ups and tests).")
        parser.add_argument("--deactivate-missing", action="store_true",
                            help="Deactivate codes that are not in this list (they stay for old diagnoses).")
        parser.add_argument("--if-empty", action="store_true",
                            help="Do nothing when any code is loaded already (for every start of the server; "
                                 "a hospital's own list is never topped up with ICD-10-CM).")

    def handle(self, *args, **options):
        if options["if_empty"] and IcdCode.objects.exists():
            self.stdout.write(f"ICD-10: {IcdCode.objects.filter(is_active=True).count()} active codes already "
                              "loaded; nothing to do.")
            return
        only = icd.parse_range(options["only"]) if options["only"] else None
        started = time.monotonic()
        if options["csv"]:
            path = options["csv"]
            if not path.is_file():
                raise CommandError(f"No such file: {path}")
            try:
                entries = icd.csv_entries(path, only)
            except (ValueError, UnicodeDecodeError) as error:
                raise CommandError(str(error)) from error
            source = options["source"] or IcdSource.LOCAL
        else:
            entries = list(icd.icd10cm_entries(only))
            source = options["source"] or IcdSource.ICD10CM
        result = icd.load(entries, source=source, deactivate_missing=options["deactivate_missing"])
        icd.load_common()
        seconds = time.monotonic() - started
        self.stdout.write(
            f"ICD-10: {result.created} added, {result.updated} updated, {result.deactivated} deactivated; "
            f"{result.total} active codes ({seconds:.1f} s)."
        )
