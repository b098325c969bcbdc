"""ICD-10 lists: loading them (ICD-10-CM from the simple-icd-10-cm package, or a hospital's own licensed
WHO ICD-10 as a `code;title` CSV), the code and word normalisation shared by loading and searching.

WHO's ICD-10 may not be redistributed, so Hayat ships the public-domain ICD-10-CM. A hospital holding a
WHO licence imports its own file with `manage.py load_icd10 --csv who-icd10.csv --source who`, and titles in
Russian or Uzbek from its licensed national edition with `manage.py load_icd10_titles titles.csv --source
"..."` (lines of code;language;title). Hayat ships its own short list of common codes with synonyms in
English, Russian and Uzbek (data/icd_common.csv), so a doctor's usual words find them.
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

from hayat.clinical.models import IcdCode, IcdSource, IcdTitle, IcdTitleKind, IcdWord

BATCH = 2000
COMMON_CODES = Path(__file__).parent / "data" / "icd_common.csv"
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
    rows = [(code, row[1].strip()) for _number, code, row in coded_rows(path, columns=2)
            if not only or in_range(code, only)]
    codes = sorted(code for code, _ in rows)
    parents = {code for code, following in zip(codes, codes[1:], strict=False)
               if following.replace(".", "").startswith(code.replace(".", ""))}
    return [IcdEntry(code=code, title=title, is_billable=code not in parents) for code, title in rows]


def coded_rows(path: Path, *, columns: int) -> Iterator[tuple[int, str, list[str]]]:
    """(line number, normalised code, cells) of a UTF-8 CSV whose first column is a code; `;` or `,` between
    cells, a header line skipped, blank lines and lines with fewer cells ignored."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        sample = handle.read(4096)
        handle.seek(0)
        delimiter = ";" if sample.count(";") >= sample.count(",") else ","
        for number, row in enumerate(csv.reader(handle, delimiter=delimiter), start=1):
            if len(row) < columns or not row[0].strip():
                continue
            code = normalise_code(row[0])
            if not looks_like_code(code):
                if number == 1:
                    continue  # a header line
                raise ValueError(f"Line {number}: {row[0]!r} is not an ICD-10 code")
            yield number, code, row


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
    insert_rows(IcdCode, ["code", "title", "chapter", "block", "is_billable", "is_active", "source", "is_common"],
                [(code.code, code.title, code.chapter, code.block, code.is_billable, True, source, False)
                 for code in new])
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
    """Rewrites the word rows of these codes from their titles, their titles in other languages and their
    synonyms."""
    for start in range(0, len(codes), BATCH):
        rows = list(IcdCode.objects.filter(code__in=codes[start:start + BATCH]).values_list("pk", "title"))
        texts: dict[int, list[str]] = {pk: [title] for pk, title in rows}
        for pk, title in IcdTitle.objects.filter(code_id__in=texts).values_list("code_id", "title"):
            texts[pk].append(title)
        IcdWord.objects.filter(code_id__in=texts).delete()
        insert_rows(IcdWord, ["word", "code_id"],
                    [(word, pk) for pk, titles in texts.items() for word in words_of(" ".join(titles))])


@dataclass(frozen=True)
class TitleRow:
    code: str
    language: str
    title: str


def title_rows(path: Path) -> list[TitleRow]:
    """Reads `code;language;title` lines (a comma also works; a header line is skipped)."""
    rows: list[TitleRow] = []
    for number, code, row in coded_rows(path, columns=3):
        language, title = row[1].strip().lower(), row[2].strip()[:400]
        if not language or not title:
            raise ValueError(f"Line {number}: a language and a title are needed")
        rows.append(TitleRow(code=code, language=language, title=title))
    return rows


@transaction.atomic
def load_titles(rows: Iterable[TitleRow], *, source: str) -> tuple[int, list[str]]:
    """Sets each code's title in each language (one per code and language, replaced on a new import) and
    keeps the source's name with it. Returns how many were set and the codes that are not in the list."""
    rows = list(rows)
    known = dict(IcdCode.objects.filter(code__in={row.code for row in rows}).values_list("code", "pk"))
    wanted = {(known[row.code], row.language): row.title for row in rows if row.code in known}
    for code_id, language in wanted:
        IcdTitle.objects.filter(code_id=code_id, language=language, kind=IcdTitleKind.TITLE).delete()
    IcdTitle.objects.bulk_create([
        IcdTitle(code_id=code_id, language=language, kind=IcdTitleKind.TITLE, title=title, source=source[:200])
        for (code_id, language), title in wanted.items()], batch_size=BATCH)
    reindex_words(sorted({row.code for row in rows if row.code in known}))
    return len(wanted), sorted({row.code for row in rows if row.code not in known})


@transaction.atomic
def load_common(path: Path = COMMON_CODES) -> int:
    """Marks Hayat's list of common codes and adds their synonyms (idempotent); codes not loaded are skipped."""
    rows = title_rows(path)
    known = dict(IcdCode.objects.filter(code__in={row.code for row in rows}).values_list("code", "pk"))
    IcdCode.objects.filter(pk__in=known.values()).update(is_common=True)
    for row in rows:
        if row.code in known:
            IcdTitle.objects.get_or_create(code_id=known[row.code], language=row.language,
                                           kind=IcdTitleKind.SYNONYM, title=row.title,
                                           defaults={"source": "Hayat"})
    reindex_words(sorted(known))
    return len(known)


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
