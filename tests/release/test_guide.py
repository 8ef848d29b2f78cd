from dispatch_corpus.models import DocumentFlag, ParagraphFlag, Role, SectionLabel
from dispatch_corpus.release.guide import FLAG_GUIDE, ROLE_GUIDE, SECTION_GUIDE


def test_the_role_guide_covers_every_role_in_class_order() -> None:
    assert list(ROLE_GUIDE) == list(Role)
    assert all(text.strip() for text in ROLE_GUIDE.values())


def test_the_section_guide_covers_every_label_in_class_order() -> None:
    assert list(SECTION_GUIDE) == list(SectionLabel)


def test_the_flag_guide_covers_every_flag() -> None:
    assert set(FLAG_GUIDE) == {*DocumentFlag, *ParagraphFlag}
    assert all("|" not in text for text in FLAG_GUIDE.values())
