"""Name keys: Cyrillic, Uzbek Latin and Russian-English spellings of one name compare equal."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hayat.patients.names import name_key, similarity, word_key

SPELLINGS = [
    ["Юсупов", "Yusupov", "Iusupov", "YUSUPOV", "yusupov"],
    ["Шахноза", "Shakhnoza", "Shaxnoza", "Shahnoza"],
    ["Хасанов", "Ҳасанов", "Khasanov", "Xasanov", "Hasanov", "Hassanov"],
    ["Дмитрий", "Dmitriy", "Dmitrii", "Dmitry", "Dmitri"],
    ["Сергей", "Sergey", "Sergei"],
    ["Елена", "Yelena", "Elena"],
    ["Ғуломов", "G'ulomov", "Gʻulomov", "G‘ulomov", "Gulomov", "Ghulomov"],
    ["Қодиров", "Qodirov", "Kodirov"],
    ["Журабек", "Jurabek", "Zhurabek", "Djurabek"],
    ["Мария", "Maria", "Mariya"],
    ["Цой", "Tsoy", "Tsoi"],
    ["Наталья", "Natalya", "Natalia", "Natal'ya"],
    ["Фарҳод", "Farhod", "Farkhod", "Farxod"],
]


@pytest.mark.parametrize("spellings", SPELLINGS, ids=[group[1] for group in SPELLINGS])
def test_spellings_of_one_name_share_a_key(spellings):
    assert len({name_key(spelling) for spelling in spellings}) == 1


def test_different_names_keep_different_keys():
    keys = {name_key(name) for name in ["Yusupov", "Karimov", "Rakhimov", "Rahmonov", "Saidova", "Aliyev"]}
    assert len(keys) == 6


def test_word_key_joins_double_barrelled_names_and_drops_signs():
    assert word_key("Dela Cruz") == word_key("dela-cruz") == word_key("DELA  CRUZ")
    assert word_key("O'Brien 3rd!") == word_key("OBrien rd") == name_key("obrien rd").replace(" ", "")


def test_similarity_ignores_the_order_of_words():
    assert similarity(name_key("Yusupova Shahnoza"), name_key("Шахноза Юсупова")) == 100


def test_similarity_of_unrelated_names_is_low():
    assert similarity(name_key("Yusupova Shahnoza"), name_key("Karimov Bobur")) < 50


NOISE = st.sampled_from(["", " ", "  "])


@given(group=st.sampled_from(SPELLINGS), data=st.data())
def test_case_spacing_and_script_never_change_the_key(group, data):
    first = data.draw(st.sampled_from(group))
    second = data.draw(st.sampled_from(group))
    upper = data.draw(st.booleans())
    padded = data.draw(NOISE) + (second.upper() if upper else second.lower()) + data.draw(NOISE)
    assert name_key(first) == name_key(padded)
