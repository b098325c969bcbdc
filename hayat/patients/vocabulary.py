"""The vocabulary of the registry's names: every distinct name key (word) of the last, first and middle names, with
how many name fields hold it.

"Did you mean" looks for the spellings nearest a mistyped word here, not among the patients: at a million patients
the vocabulary is a few thousand words. PostgreSQL finds them through a trigram index on this small table (migration
0008; the trigram index on the patients' names read long lists of common trigrams); other engines read the words
nearest in index order (duplicates.nearest). The patients whose name keys equal those spellings are then read through
the name indexes. Patient.save and Patient.delete keep the counts (so registering, editing, merging and anonymising
all do); a word nobody holds any more is removed, so a forgotten patient's rare name does not stay behind.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import cache

from django.db import connection, transaction
from django.db.models import Count, F

from hayat.patients.duplicates import nearest
from hayat.patients.models import NAME_KEY_FIELDS, NameWord
from hayat.patients.names import similarity

SPELLINGS = 3  # spellings of one word read at most
MARGIN = 15  # how much less like the word than the best spelling another may be
NEAREST = 20  # words read on each side of the typed one (engines without trigrams)
TRIGRAM_POOL = 50


def change(before: Iterable[str], after: Iterable[str]) -> None:
    """Counts the name keys a patient's row gained and lost (an empty key is no word)."""
    old, new = Counter(key for key in before if key), Counter(key for key in after if key)
    if old == new:
        return
    with transaction.atomic(savepoint=False):
        add(new - old)
        remove(old - new)


def add(words: Counter) -> None:
    if not words:
        return
    hold(sorted(words))
    for times, keys in by_times(words):
        NameWord.objects.filter(key__in=keys).update(patients=F("patients") + times)


def hold(keys: list[str]) -> None:
    """Makes each word's row exist and locks it until the transaction ends. Without the lock, another patient's
    removal could take a word's last count and delete its row after this insert found the row there (and so wrote
    nothing) and before this count: the count would then touch no row, and the word would be lost."""
    missing = keys
    while missing:
        NameWord.objects.bulk_create([NameWord(key=key, patients=0) for key in missing], ignore_conflicts=True)
        held = set(NameWord.objects.select_for_update().filter(key__in=missing).order_by("key")
                   .values_list("key", flat=True))
        missing = [key for key in missing if key not in held]


def remove(words: Counter) -> None:
    if not words:
        return
    for times, keys in by_times(words):
        NameWord.objects.filter(key__in=keys).update(patients=F("patients") - times)
    NameWord.objects.filter(key__in=list(words), patients__lte=0).delete()


def by_times(words: Counter) -> list[tuple[int, list[str]]]:
    """The words grouped by how many times they are counted (one update each; nearly always one group), in order, so
    that two transactions lock the rows of the words they share in the same order."""
    groups: dict[int, list[str]] = {}
    for key, times in sorted(words.items()):
        groups.setdefault(times, []).append(key)
    return sorted(groups.items())


def rebuild(patient_model, word_model) -> None:
    """Counts the words of every patient again (migration 0008; bench/patients_search.py after its bulk load)."""
    counts: Counter = Counter()
    for field in NAME_KEY_FIELDS:
        rows = (patient_model.objects.exclude(**{field: ""}).order_by().values_list(field)
                .annotate(times=Count("pk")))
        for key, times in rows:
            counts[key] += times
    word_model.objects.all().delete()
    word_model.objects.bulk_create([word_model(key=key, patients=times) for key, times in sorted(counts.items())],
                                   batch_size=1000)


def spellings(word: str) -> list[str]:
    """The words of the vocabulary most like `word` (the word itself first when a name holds it), best first."""
    if connection.vendor == "postgresql":
        words = trigram_neighbours(word)
    else:
        words = [key for pool in nearest(NameWord.objects.all(), "key", word)
                 for key in pool.values_list("key", flat=True)[:NEAREST]]
    scored = sorted(((similarity(word, key), key) for key in set(words)), key=lambda pair: (-pair[0], pair[1]))
    return [key for score, key in scored[:SPELLINGS] if score >= scored[0][0] - MARGIN]


def trigram_neighbours(word: str) -> list[str]:
    from django.contrib.postgres.search import TrigramSimilarity

    register_trigram_lookup()
    return list(NameWord.objects.filter(key__trigram_similar=word).annotate(score=TrigramSimilarity("key", word))
                .order_by("-score", "key").values_list("key", flat=True)[:TRIGRAM_POOL])


@cache
def register_trigram_lookup() -> None:
    """django.contrib.postgres is not installed (the project runs on three engines): the one lookup is
    registered, once per process, on the one field searched by trigrams."""
    from django.contrib.postgres.lookups import TrigramSimilar

    NameWord._meta.get_field("key").register_lookup(TrigramSimilar)
