"""The word diff between two versions of a statement: a pure function."""

from cities.diff import changed, text_diff


def test_a_changed_phrase_reads_as_one_removal_and_one_addition() -> None:
    pieces = text_diff("Answer within a week.", "Answer within three days.")
    assert pieces == [
        ("same", "Answer within "),
        ("removed", "a week."),
        ("added", "three days."),
    ]
    assert changed(pieces)


def test_the_same_text_has_no_change_and_an_empty_one_is_all_added() -> None:
    assert not changed(text_diff("Same words.", "Same words."))
    assert text_diff("", "New text") == [("added", "New text")]
