"""Comparable keys. Names: one Latin spelling for the Cyrillic, Uzbek Latin and Russian-English forms of a name.

`name_key("Юсупов") == name_key("Yusupov") == name_key("Iusupov") == "yusupov"` and
`name_key("Шахноза") == name_key("Shakhnoza") == name_key("Shaxnoza") == "shahnoza"`.
The key is deliberately coarse (х/ҳ/kh/x/h all become "h"): it finds candidates, and
`similarity()` ranks them.
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "j", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya",
    # Uzbek, Kazakh and Tajik letters
    "ў": "o", "қ": "k", "ғ": "g", "ҳ": "h", "ң": "n", "ә": "a", "ө": "o", "ү": "u", "ұ": "u", "і": "i",
    "ї": "i", "є": "e", "ҷ": "j", "ӣ": "i", "ӯ": "u",
}

# Applied in order to the lowercase Latin form; each rule folds spellings of one sound together.
LATIN_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"[ʻʼ'`’‘]", ""),            # Uzbek o‘/g‘ and apostrophes of every kind
        (r"kh|gh(?=[aeiou])|x", lambda match: "g" if match.group(0) == "gh" else "h"),  # kh/x = h; Ghulom = Gulom
        (r"zh|dzh|dj", "j"),           # ж
        (r"ts|tz|c(?!h)", "s"),        # ц: Tsoy = Coi
        (r"shch", "sh"),               # щ
        (r"q", "k"),                   # Uzbek q
        (r"w", "v"),
        (r"ph", "f"),
        (r"iy(?=[aeou])", "i"),        # Mariya = Maria
        (r"(?<![aeiouy])i(?=[aeou])", "y"),  # iu/ia after a consonant or at the start: Iusupov = Yusupov
        (r"\bye", "e"),                # Yelena = Elena = Елена
        (r"(?<=[aeiou])y", "i"),       # Sergey = Sergei = Сергей
        (r"(?<=[^aeiou])y\b", "i"),    # Dmitry = Dmitri
        (r"ii+", "i"),                 # Dmitrii = Dmitri
        (r"([a-z])\1+", r"\1"),        # doubled letters: Hassan = Hasan
    )
)

NOT_LETTERS = re.compile(r"[^a-z ]+")
SPACES = re.compile(r"\s+")


def transliterate(text: str) -> str:
    """Lowercase Latin letters for any Cyrillic or accented Latin text; digits and signs dropped."""
    lowered = text.lower()
    latin = "".join(CYRILLIC.get(char, char) for char in lowered)
    decomposed = unicodedata.normalize("NFKD", latin)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char) or char in "ʻʼ")
    return plain


def name_key(text: str) -> str:
    """The comparable key of a name or of several words of a name (words kept, separated by one space)."""
    words = []
    for word in SPACES.split(transliterate(text).replace("-", " ")):
        for pattern, replacement in LATIN_RULES:
            word = pattern.sub(replacement, word)
        word = NOT_LETTERS.sub("", word)
        if word:
            words.append(word)
    return " ".join(words)


def word_key(text: str) -> str:
    """The key of one name field as a single word (double-barrelled names joined), for indexed lookups."""
    return name_key(text).replace(" ", "")


def similarity(first: str, second: str) -> float:
    """0-100: how alike two full-name keys are, whatever the order of the words."""
    if not first or not second:
        return 0.0
    return max(fuzz.token_sort_ratio(first, second), fuzz.token_set_ratio(first, second) - 5)


# Digits and Latin or Cyrillic letters (upper case): "аа 123-45 67" and "АА1234567" are one document.
DOCUMENT_KEEP = re.compile(r"[^0-9A-Z\u0400-\u04FF]")
# Cyrillic capitals drawn like Latin ones: a series typed with the other keyboard layout is the same document.
LOOK_ALIKES = str.maketrans("АВСЕНІЈКМОРЅТХУ", "ABCEHIJKMOPSTXY")


def document_key(number: str) -> str:
    """What compares two document numbers: Cyrillic letters that look Latin read as Latin, so "АВ1234567"
    typed on a Russian keyboard finds "AB1234567"; a series of other letters ("ГД") stays apart."""
    return DOCUMENT_KEEP.sub("", (number or "").upper()).translate(LOOK_ALIKES)


def fill_search_keys(patient) -> None:
    """Sets the denormalised search columns of a patient from its names and phones."""
    patient.last_name_key = word_key(patient.last_name)[:80]
    patient.first_name_key = word_key(patient.first_name)[:80]
    patient.middle_name_key = word_key(patient.middle_name)[:80]
    parts = [patient.last_name_key, patient.first_name_key, patient.middle_name_key]
    patient.search_text = " ".join(part for part in parts if part)[:250]
    mobile, home = (re.sub(r"\D", "", number or "") for number in (patient.mobile, patient.home_phone))
    patient.phone_digits = " ".join(number for number in (mobile, home) if number)[:50]
    patient.mobile_tail, patient.home_phone_tail = mobile[::-1][:20], home[::-1][:20]
    patient.document_key = document_key(patient.document_number)[:40]
