"""ICD-10 lists: loading them (ICD-10-CM from the simple-icd-10-cm package, or a hospital's own licensed
WHO ICD-10 as a `code;title` CSV), the code and word normalisation shared by loading and searching.

WHO's ICD-10 may not be redistributed, so Hayat ships the public-domain ICD-10-CM. A hospital holding a
WHO licence imports its own file with `manage.py load_icd10 --csv who-icd10.csv --source who`.
Loading is idempotent: codes are matched by code, new ones inserted, changed titles updated, and codes
that left the list are deactivated (never deleted: diagnoses keep pointing at them).
"""

from __future__ import annotations

import csv
import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, models, transaction

from hayat.clinical.models import IcdCode, IcdSource, IcdWord

BATCH = 2000
WORD_MAX = 40
STOP_WORDS = frozenset({
    "a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with", "without",
})
CODE_PATTERN = re.compile(r"^[A-Z][0-9][0-9A-Z](\.?[0-9A-Z]{0,4})?$")
WORD_PATTERN = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class IcdEntry:
    code: str
    title: str
    chapter: str = ""
    block: str = ""
    is_billable: bool = True


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    deactivated: int
    total: int


def normalise_code(text: str) -> str:
    """`i214`, `I21.4 ` and `i21.4` all become `I21.4` (the dot after the category's three characters)."""
    compact = text.strip().upper().replace(".", "").replace(" ", "")
    return compact if len(compact) <= 3 else f"{compact[:3]}.{compact[3:]}"


def looks_like_code(text: str) -> bool:
    return bool(CODE_PATTERN.match(text.strip().upper()))


def words_of(text: str) -> list[str]:
    """The searchable words of a title or a query, lower case, without stop words, each at most 40 chars."""
    seen: dict[str, None] = {}
    for word in WORD_PATTERN.findall(text.casefold()):
        if word not in STOP_WORDS and (len(word) > 1 or word.isdigit()):
            seen.setdefault(word[:WORD_MAX])
    return list(seen)


def icd10cm_entries(only: tuple[str, str] | None = None) -> Iterator[IcdEntry]:
    """Every category and subcategory of ICD-10-CM (April release bundled with the package)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the package reads its data with a legacy API
        import simple_icd_10_cm as cm  # parses a large XML file: only when loading

    chapter = block = ""
    for code in cm.get_all_codes(True):
        if cm.is_chapter(code):
            chapter = code
            continue
        if cm.is_block(code):
            block = code
            continue
        if only and not in_range(code, only):
            continue
        yield IcdEntry(code=code, title=cm.get_description(code), chapter=chapter, block=block,
                       is_billable=cm.is_leaf(code))


def csv_entries(path: Path, only: tuple[str, str] | None = None) -> list[IcdEntry]:
    """Reads `code;title` lines (a comma also works; a header line is skipped). A code is billable when no
    longer code in the file starts with it."""
    rows: list[tuple[str, str]] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        sample = handle.read(4096)
        handle.seek(0)
        delimiter = ";" if sample.count(";") >= sample.count(",") else ","
        for number, row in enumerate(csv.reader(handle, delimiter=delimiter), start=1):
            if len(row) < 2 or not row[0].strip():
                continue
            code = normalise_code(row[0])
            if not looks_like_code(code):
                if number == 1:
                    continue  # a header line
                raise ValueError(f"Line {number}: {row[0]!r} is not an ICD-10 code")
            if only and not in_range(code, only):
                continue
            rows.append((code, row[1].strip()))
    codes = sorted(code for code, _ in rows)
    parents = {code for code, following in zip(codes, codes[1:], strict=False)
               if following.replace(".", "").startswith(code.replace(".", ""))}
    return [IcdEntry(code=code, title=title, is_billable=code not in parents) for code, title in rows]


def parse_range(text: str) -> tuple[str, str]:
    """`A00-B99` → ("A00", "B99"); `I21` → ("I21", "I21")."""
    first, _, last = text.upper().partition("-")
    return normalise_code(first), normalise_code(last or first)


def in_range(code: str, bounds: tuple[str, str]) -> bool:
    first, last = bounds
    return first <= code and code[: len(last)] <= last


@transaction.atomic
def load(entries: Iterable[IcdEntry], *, source: str = IcdSource.ICD10CM, deactivate_missing: bool = False
         ) -> LoadResult:
    """Upserts the entries by code and keeps the word index in step with the titles."""
    entries = {entry.code: entry for entry in entries}
    existing = {code.code: code for code in IcdCode.objects.all()}
    new = [IcdCode(code=entry.code, title=entry.title[:400], chapter=entry.chapter, block=entry.block,
                   is_billable=entry.is_billable, source=source)
           for code, entry in entries.items() if code not in existing]
    changed = []
    for code, entry in entries.items():
        current = existing.get(code)
        if current is None:
            continue
        fresh = (entry.title[:400], entry.chapter or current.chapter, entry.block or current.block,
                 entry.is_billable, True, source)
        if (current.title, current.chapter, current.block, current.is_billable, current.is_active,
                current.source) != fresh:
            (current.title, current.chapter, current.block, current.is_billable, current.is_active,
             current.source) = fresh
            changed.append(current)
    insert_rows(IcdCode, ["code", "title", "chapter", "block", "is_billable", "is_active", "source"],
                [(code.code, code.title, code.chapter, code.block, code.is_billable, True, source) for code in new])
    IcdCode.objects.bulk_update(
        changed, ["title", "chapter", "block", "is_billable", "is_active", "source"], batch_size=BATCH)
    gone = [code.pk for name, code in existing.items() if name not in entries and code.is_active]
    if deactivate_missing and gone:
        for start in range(0, len(gone), BATCH):
            IcdCode.objects.filter(pk__in=gone[start:start + BATCH]).update(is_active=False)
    reindex_words([code.code for code in new] + [code.code for code in changed])
    return LoadResult(created=len(new), updated=len(changed), deactivated=len(gone) if deactivate_missing else 0,
                      total=IcdCode.objects.filter(is_active=True).count())


def reindex_words(codes: list[str]) -> None:
    """Rewrites the word rows of these codes from their titles."""
    for start in range(0, len(codes), BATCH):
        rows = list(IcdCode.objects.filter(code__in=codes[start:start + BATCH]).values_list("pk", "title"))
        IcdWord.objects.filter(code_id__in=[pk for pk, _ in rows]).delete()
        insert_rows(IcdWord, ["word", "code_id"], [(word, pk) for pk, title in rows for word in words_of(title)])


def insert_rows(model: type[models.Model], columns: list[str], rows: list[tuple]) -> None:
    """Multi-row INSERTs without model instances: the full list has 98 000 codes and some 730 000 words,
    and bulk_create spends far more time building and compiling instances than the database spends
    storing them."""
    if not rows:
        return
    per_statement = max(1, min(1000, (connection.features.max_query_params or 5000) // len(columns)))
    quote = connection.ops.quote_name
    # Table and column names come from the model, values travel as parameters.
    head = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(name) for name in columns)}) VALUES "  # noqa: S608
    placeholder = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for first in range(0, len(rows), per_statement):
            batch = rows[first:first + per_statement]
            cursor.execute(head + ", ".join([placeholder] * len(batch)), [value for row in batch for value in row])
