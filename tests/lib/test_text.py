import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from papitrack.lib.text import fold_text, normalize_text, vietnamese_sort_key


def test_fold_text_removes_tones_and_d_stroke():
    assert fold_text("Quản trị Điện tử ĐÀ NẴNG") == "quan tri dien tu da nang"


def test_fold_text_treats_nfd_and_nfc_alike():
    nfc = "Hòa Vang"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfc != nfd
    assert fold_text(nfd) == fold_text(nfc)


def test_fold_text_equates_old_and_new_tone_placement():
    assert fold_text("Thanh Hoá") == fold_text("Thanh Hóa")


def test_normalize_text_collapses_whitespace_and_composes():
    assert normalize_text("  Sở\u00a0 Nội  vụ \n") == "Sở Nội vụ"
    assert normalize_text(unicodedata.normalize("NFD", "Ủy ban")) == "Ủy ban"


def test_vietnamese_sort_key_orders_like_icu():
    names = ["Zeta", "Đà Nẵng", "Dung Quất", "Ánh", "Điện Bàn", "An Hải", "Ba Đình", "Duy Xuyên"]
    assert sorted(names, key=vietnamese_sort_key) == [
        "An Hải",
        "Ánh",
        "Ba Đình",
        "Dung Quất",
        "Duy Xuyên",
        "Đà Nẵng",
        "Điện Bàn",
        "Zeta",
    ]


@given(st.text(alphabet="aăâdđeêoôơuưAĂÂĐàáảãạằắẳẵặ "))
def test_fold_text_is_idempotent_and_ascii_for_vietnamese_letters(text):
    folded = fold_text(text)
    assert fold_text(folded) == folded
    assert folded.isascii()
