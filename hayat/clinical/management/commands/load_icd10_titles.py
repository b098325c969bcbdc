"""Imports ICD-10 titles in other languages (Russian, Uzbek...) from a hospital's licensed national edition."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hayat.clinical import icd


class Command(BaseCommand):
    help = (
        "Import titles of ICD-10 codes in other languages from a UTF-8 CSV of code;language;title lines "
        "(e.g. J18.9;ru;Пневмония неуточненная). --source names the licensed edition they come from; it is "
        "kept with every title. Importing again replaces a code's title in that language."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv", type=Path, help="A UTF-8 file of code;language;title lines.")
        parser.add_argument("--source", required=True,
                            help="The licensed edition, e.g. \"МКБ-10, Минздрав Республики Узбекистан, 2024\".")

    def handle(self, *args, **options):
        path = options["csv"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            rows = icd.title_rows(path)
        except (ValueError, UnicodeDecodeError) as error:
            raise CommandError(str(error)) from error
        count, unknown = icd.load_titles(rows, source=options["source"])
        self.stdout.write(f"ICD-10 titles: {count} set from {options['source']}.")
        if unknown:
            self.stdout.write(f"Not in the loaded ICD-10 list, skipped: {', '.join(unknown[:20])}"
                              + (" ..." if len(unknown) > 20 else ""))
