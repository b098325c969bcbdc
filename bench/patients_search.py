"""Patient search at a million patients: generates them in bulk, then prints the latency of typical searches.

    python bench/patients_search.py                       # 1,000,000 patients on SQLite and PostgreSQL
    python bench/patients_search.py --patients 100000 --engines sqlite --repeat 20
    HAYAT_BENCH_SQLITE=/tmp/search.sqlite3 python bench/patients_search.py --keep   # generate once, measure again

SQLite runs on a temporary file; PostgreSQL on a database named hayat_bench (dropped and created again) at
HAYAT_BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432/hayat_bench); `--engines mysql` adds
MariaDB/MySQL at HAYAT_BENCH_MYSQL. Each engine runs in its own process, so Django is set up once per
database. Every timed search is the one the pages and the API run (hayat.patients.selectors.search): the
count (the list page's, see ADR 0009) plus the first page of 25 rows, as the list page shows them. Then
recall: for sample patients, the desk types the same person again (a misspelt surname, the other script, the
names swapped, with or without the date of birth) and the bench counts how often the duplicate check and "did
you mean" find the planted record among a population full of namesakes. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from engines import run_children

ROOT = Path(__file__).resolve().parent.parent

ROOTS = [
    "Abdulla", "Akmal", "Alisher", "Anvar", "Aziz", "Bahodir", "Bekzod", "Bobur", "Dilshod", "Doston", "Elyor",
    "Farhod", "Furqat", "G'ayrat", "Hamid", "Hasan", "Husan", "Ibrohim", "Ikrom", "Ilhom", "Islom", "Jahongir",
    "Jamshid", "Jasur", "Kamol", "Karim", "Komil", "Laziz", "Mahmud", "Mansur", "Mirzo", "Murod", "Nodir",
    "Nurali", "Obid", "Odil", "Olim", "Orif", "Otabek", "Po'lat", "Qodir", "Rahim", "Rashid", "Ravshan",
    "Rustam", "Sanjar", "Sardor", "Sarvar", "Sherzod", "Shuhrat", "Sobir", "Sodiq", "Temur", "To'lqin", "Ulug'bek",
    "Umid", "Usmon", "Vali", "Yusuf", "Zafar", "Zokir", "Yusup", "Nazar", "Tursun", "Ergash", "Said", "Rahmon",
    "Xolmat", "Qurbon", "Norbo'ta", "Eshmat", "Toshmat", "Boymurod", "Xudoyber", "Ahmad", "Sultan", "Ismoil",
]
FEMALE = [
    "Aziza", "Barno", "Dildora", "Dilfuza", "Dilnoza", "Feruza", "Gulnora", "Gulchehra", "Hulkar", "Kamola",
    "Lola", "Madina", "Malika", "Mohira", "Munisa", "Nargiza", "Nigora", "Nilufar", "Nodira", "Oydin", "Robiya",
    "Sabina", "Sevara", "Shahlo", "Shahnoza", "Umida", "Yulduz", "Zarina", "Zilola", "Ziyoda", "Elena", "Natalya",
    "Olga", "Maria", "Ana", "Liza", "Grace", "Joy",
]
CYRILLIC = str.maketrans({
    "a": "а", "b": "б", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "ҳ", "i": "и", "j": "ж", "k": "к", "l": "л",
    "m": "м", "n": "н", "o": "о", "p": "п", "q": "қ", "r": "р", "s": "с", "t": "т", "u": "у", "v": "в", "x": "х",
    "y": "й", "z": "з", "'": "",
})


def cyrillic(name: str) -> str:
    word = name.lower().replace("sh", "ш").replace("ch", "ч").replace("yu", "ю").replace("ya", "я")
    return word.translate(CYRILLIC).capitalize()


def person(rng: random.Random) -> tuple[str, str, str, str]:
    female = rng.random() < 0.5
    root, father = rng.choice(ROOTS), rng.choice(ROOTS)
    last = root.replace("'", "") + ("ova" if female else "ov")
    first = rng.choice(FEMALE) if female else rng.choice(ROOTS)
    middle = father.replace("'", "") + ("ovna" if female else "ovich")
    if rng.random() < 0.3:
        last, first, middle = cyrillic(last), cyrillic(first), cyrillic(middle)
    return last, first, middle, "female" if female else "male"


# --- parent: one child process per engine ---------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=1_000_000)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per kind of search")
    parser.add_argument("--keep", action="store_true",
                        help="keep the databases; patients already there are measured, not generated again")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        run_engine(arguments.child, arguments.patients, arguments.repeat)
        return
    run_children(__file__, arguments.engines, database="hayat_bench", keep=arguments.keep,
                 arguments=["--patients", str(arguments.patients), "--repeat", str(arguments.repeat)])


# --- child: one engine ------------------------------------------------------------------------------------------

def run_engine(engine: str, count: int, repeat: int) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from hayat.patients import vocabulary
    from hayat.patients.models import NameWord, Patient

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"\n== {engine} ({connection.vendor}), {count:,} patients, load average {load_average()}")
    print(f"   schema (and migrations of kept rows) in {time.perf_counter() - started:.1f}s")
    if not Patient.objects.exists():
        started = time.perf_counter()
        load(count, engine)
        vocabulary.rebuild(Patient, NameWord)  # the rows were written in bulk, not through Patient.save
        print(f"   generated and loaded in {time.perf_counter() - started:.1f}s")
        started = time.perf_counter()
        analyse(engine)
        print(f"   statistics gathered in {time.perf_counter() - started:.1f}s")
    measure(repeat)
    measure_recall(repeat)


def load_average() -> str:
    return " ".join(f"{figure:.1f}" for figure in os.getloadavg())


def build(count: int):
    from functools import cache

    from hayat.patients import names
    from hayat.patients.models import Patient
    from hayat.patients.names import fill_search_keys
    from hayat.patients.tests.factories import code_for

    names.word_key = cache(names.word_key)  # a few hundred distinct names, a million rows

    rng = random.Random(20261121)
    now = datetime(2026, 11, 21, 9, 0, tzinfo=__import__("datetime").timezone.utc)
    for number in range(count):
        last, first, middle, gender = person(rng)
        mobile = f"+9989{rng.choice('01345789')}{rng.randrange(10_000_000):07d}"
        patient = Patient(
            code=code_for(number), last_name=last, first_name=first, middle_name=middle, gender=gender,
            birth_date=date(1930, 1, 1) + timedelta(days=rng.randrange(95 * 365)), mobile=mobile, country="UZ",
            document_type="passport" if number % 3 else "", document_number=f"A{number:08d}" if number % 3 else "",
            email=f"p{number}@example.uz" if number % 10 == 0 else "",
        )
        patient.created_at = patient.updated_at = now - timedelta(minutes=rng.randrange(5 * 365 * 24 * 60))
        fill_search_keys(patient)
        yield patient


def load(count: int, engine: str) -> None:
    from django.db import connection

    from hayat.patients.models import Patient

    batch: list = []
    fields = [field for field in Patient._meta.concrete_fields if not field.primary_key]
    for field in fields:  # keep the generated registration dates (spread over five years)
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            field.auto_now = field.auto_now_add = False
    if engine == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
    for patient in build(count):
        batch.append(patient)
        if len(batch) == 20_000:
            write(batch, fields, engine)
            batch = []
    if batch:
        write(batch, fields, engine)


def write(batch: list, fields: list, engine: str) -> None:
    """Raw rows, not bulk_create: SQLite allows few parameters per statement, which made Django issue tens of
    thousands of small INSERTs; executemany (and COPY on PostgreSQL) sends each batch in one go."""
    from django.db import connection, transaction

    rows = [[field.get_db_prep_save(getattr(patient, field.attname), connection) for field in fields]
            for patient in batch]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with transaction.atomic(), connection.cursor() as cursor:
        if engine == "postgresql":
            with cursor.cursor.copy(f"COPY patients_patient ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            insert = f"INSERT INTO patients_patient ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
            cursor.executemany(insert, rows)


def analyse(engine: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute({"sqlite": "ANALYZE", "postgresql": "VACUUM ANALYZE patients_patient",
                        "mysql": "ANALYZE TABLE patients_patient"}[engine])
        if engine == "mysql":
            cursor.fetchall()


def measure(repeat: int) -> None:
    from hayat.core.counting import EstimatingPaginator
    from hayat.patients import duplicates, selectors, validation
    from hayat.patients.validation import PatientData

    rng = random.Random(7)
    sample = sample_rows(repeat * 3, rng)

    def page(query: str) -> int:
        paginator = EstimatingPaginator(selectors.search(query), 25)
        return len(paginator.page(1).object_list) + 0 * paginator.count

    def duplicate_check(row) -> int:
        data = validation.clean(PatientData(first_name=row["first_name"], last_name=misspelt(row["last_name"], rng),
                                            birth_date=row["birth_date"]))
        return len(duplicates.find(data))

    run_kinds(repeat, sample, [
        ("surname prefix (4 letters)", lambda row: page(row["last_name"][:4])),
        ("full name, other script", lambda row: page(f"{other_script(row['first_name'])} "
                                                     f"{other_script(row['last_name'])}")),
        ("full name with patronymic", lambda row: page(f"{row['last_name']} {row['first_name']} {row['middle_name']}")),
        ("phone, full number", lambda row: page(row["mobile"])),
        ("phone, last 7 digits", lambda row: page(row["mobile"][-7:])),
        ("patient code", lambda row: page(row["code"])),
        ("document number", lambda row: page(row["document_number"] or row["code"])),
        ("fuzzy: misspelt name (did you mean)", lambda row: len(selectors.fuzzy_matches(
            f"{misspelt(row['last_name'], rng)} {row['first_name']}"))),
        ("duplicate check on registration", duplicate_check),
    ])


def sample_rows(count: int, rng: random.Random) -> list[dict]:
    from hayat.patients.models import Patient

    total = Patient.objects.count()
    return list(Patient.objects.filter(pk__in=[rng.randrange(1, total + 1) for _ in range(count)])
                .values("pk", "last_name", "first_name", "middle_name", "mobile", "code", "document_number",
                        "birth_date"))


def measure_recall(repeat: int) -> None:
    """How often the planted record (an existing patient, typed again with a mistake) is found: among the
    fuzzy name matches, among the ten candidates the duplicate check shows, and by "did you mean"."""
    from hayat.patients import duplicates, selectors, validation
    from hayat.patients.models import Patient
    from hayat.patients.names import word_key
    from hayat.patients.validation import PatientData

    rng = random.Random(11)
    sample = sample_rows(repeat * 3, rng)[:repeat]
    variants = [
        ("misspelt surname, birth date", lambda row: (misspelt(row["last_name"], rng), row["first_name"], True)),
        ("misspelt surname, no birth date", lambda row: (misspelt(row["last_name"], rng), row["first_name"], False)),
        ("misspelt first name, no birth date", lambda row: (row["last_name"], misspelt(row["first_name"], rng),
                                                            False)),
        ("other script, birth date", lambda row: (other_script(row["last_name"]), other_script(row["first_name"]),
                                                  True)),
        ("names swapped, misspelt, birth date", lambda row: (row["first_name"], misspelt(row["last_name"], rng),
                                                            True)),
    ]
    print(f"\n   {'recall of a planted duplicate':<38}{'pool':>8}{'shown':>8}{'namesakes':>11}")
    base = Patient.objects.filter(merged_into__isnull=True, anonymised_at__isnull=True)
    for label, typed in variants:
        in_pool = shown = namesakes = 0
        for row in sample:
            last, first, with_birth_date = typed(row)
            data = validation.clean(PatientData(first_name=first, last_name=last,
                                                birth_date=row["birth_date"] if with_birth_date else None))
            last_key, first_key = word_key(data.last_name), word_key(data.first_name)
            full = f"{last_key} {first_key}"
            in_pool += row["pk"] in duplicates.fuzzy(base, data, last_key, first_key, full)
            shown += row["pk"] in {candidate.patient.pk for candidate in duplicates.find(data)}
            namesakes += base.filter(last_name_key=word_key(row["last_name"]),
                                     first_name_key=word_key(row["first_name"])).count()
        print(f"   {label:<38}{in_pool / len(sample):>8.0%}{shown / len(sample):>8.0%}"
              f"{namesakes / len(sample):>11.0f}")
    found = sum(row["pk"] in {patient.pk for patient in selectors.fuzzy_matches(
        f"{misspelt(row['last_name'], rng)} {row['first_name']} {row['middle_name']}", limit=10)} for row in sample)
    print(f"   {'did you mean: misspelt full name':<38}{'':>8}{found / len(sample):>8.0%}")


LATIN = {"Ю": "Iu", "ю": "iu", "Ш": "Sh", "ш": "sh", "Х": "Kh", "х": "kh", "Ҳ": "H", "ҳ": "h", "Қ": "Q", "қ": "q",
         "Ж": "Zh", "ж": "zh", "Ч": "Ch", "ч": "ch", "Я": "Ya", "я": "ya"}


def other_script(name: str) -> str:
    if any("а" <= char <= "я" or char in "ҳқўғ" for char in name.lower()):
        text = "".join(LATIN.get(char, char) for char in name)
        return text.translate(str.maketrans("абдефгийклмнопрстувзАБДЕФГИЙКЛМНОПРСТУВЗ",
                                            "abdefgiyklmnoprstuvzABDEFGIYKLMNOPRSTUVZ"))
    return cyrillic(name)


def misspelt(name: str, rng: random.Random) -> str:
    """One letter inside the name replaced by a vowel (a typo the fuzzy rules must survive)."""
    index = rng.randrange(1, len(name) - 1)
    return name[:index] + rng.choice("aeiou") + name[index + 1:]


def run_kinds(repeat: int, sample: list[dict], kinds: list) -> None:
    print(f"   {'search':<38}{'median ms':>10}{'p95 ms':>10}{'rows':>8}")
    for label, run in kinds:
        run(sample[0])  # warm the cache once
        timings, rows = [], 0
        for row in sample[:repeat]:
            started = time.perf_counter()
            rows = run(row)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p95 = timings[min(len(timings) - 1, int(round(0.95 * (len(timings) - 1))))]
        print(f"   {label:<38}{statistics.median(timings):>10.1f}{p95:>10.1f}{rows:>8}")


if __name__ == "__main__":
    main()
