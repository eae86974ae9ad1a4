"""Table tests for the report sentences (nghiquyet.targets.sentences). Pure: no database."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nghiquyet.targets.rules import Status, Summary, summarise
from nghiquyet.targets.sentences import achievement_phrase, cumulative_sentence, summary_sentence

D = Decimal

SUMMARY_SENTENCE_CASES = [
    pytest.param(Summary(), "Chưa có chỉ tiêu nào.", id="no-targets"),
    pytest.param(
        Summary(total=19, exceeded=5, met=6, not_met=8),
        "Thực hiện đạt và vượt 11/19 chỉ tiêu; 8/19 chỉ tiêu không đạt.",
        id="review-11-of-19",
    ),
    pytest.param(
        Summary(total=19, met=11, not_met=8),
        "Thực hiện đạt và vượt 11/19 chỉ tiêu; 8/19 chỉ tiêu không đạt.",
        id="review-11-of-19-all-met",
    ),
    pytest.param(
        Summary(total=3, exceeded=2, met=1),
        "Thực hiện đạt và vượt 3/3 chỉ tiêu.",
        id="all-achieved",
    ),
    pytest.param(
        Summary(total=4, not_met=4),
        "Thực hiện đạt và vượt 0/4 chỉ tiêu; 4/4 chỉ tiêu không đạt.",
        id="none-achieved",
    ),
    pytest.param(
        Summary(total=10, exceeded=3, met=2, nearly_met=1, not_met=2, no_data=1, no_plan=1),
        "Thực hiện đạt và vượt 5/10 chỉ tiêu; 1/10 chỉ tiêu cơ bản đạt; 2/10 chỉ tiêu không đạt; "
        "1/10 chỉ tiêu chưa có số liệu; 1/10 chỉ tiêu chưa giao kế hoạch.",
        id="every-state",
    ),
    pytest.param(
        Summary(total=5, met=3, no_data=2),
        "Thực hiện đạt và vượt 3/5 chỉ tiêu; 2/5 chỉ tiêu chưa có số liệu.",
        id="achieved-and-no-data",
    ),
    pytest.param(
        Summary(total=2, no_plan=2),
        "Thực hiện đạt và vượt 0/2 chỉ tiêu; 2/2 chỉ tiêu chưa giao kế hoạch.",
        id="only-no-plan",
    ),
    pytest.param(
        Summary(total=6, exceeded=4, nearly_met=2),
        "Thực hiện đạt và vượt 4/6 chỉ tiêu; 2/6 chỉ tiêu cơ bản đạt.",
        id="achieved-and-nearly-met",
    ),
]


@pytest.mark.parametrize(("summary", "expected"), SUMMARY_SENTENCE_CASES)
def test_it_writes_the_summary_sentence_of_a_review(summary, expected):
    assert summary_sentence(summary) == expected


def test_it_writes_the_summary_sentence_from_summarised_statuses():
    statuses = [Status.EXCEEDED] * 5 + [Status.MET] * 6 + [Status.NOT_MET] * 8
    assert summary_sentence(summarise(statuses)) == (
        "Thực hiện đạt và vượt 11/19 chỉ tiêu; 8/19 chỉ tiêu không đạt."
    )


# columns: actual, unit, share, decimals, met, expected
ACHIEVEMENT_CASES = [
    pytest.param(
        D("1635"), "đảng viên", D("102"), 0, True, "1.635 đảng viên, đạt 102% kế hoạch", id="exceeded-102"
    ),
    pytest.param(
        D("1635"), "đảng viên", D("102.1875"), 0, True, "1.635 đảng viên, đạt 102,19% kế hoạch",
        id="exceeded-share-rounded-half-up",
    ),
    pytest.param(
        D("947"), "hộ", D("94.7"), 0, False, "947 hộ, đạt 94,7% kế hoạch", id="not-met-94.7"
    ),
    pytest.param(
        D("59.504"), "%", D("74.38"), 2, False, "59,5 %, đạt 74,38% kế hoạch", id="not-met-74.38-decimals"
    ),
    pytest.param(
        D("1599.92"), "tỷ đồng", D("99.995"), 2, False, "1.599,92 tỷ đồng, đạt 99,99% kế hoạch",
        id="not-met-never-shows-100",
    ),
    pytest.param(
        D("1599.92"), "tỷ đồng", D("99.995"), 2, True, "1.599,92 tỷ đồng, đạt 100% kế hoạch",
        id="met-rounds-to-100",
    ),
    pytest.param(
        D("1600"), "tỷ đồng", D("100"), 0, True, "1.600 tỷ đồng, đạt 100% kế hoạch", id="met-100"
    ),
    pytest.param(D("1635.6"), "đảng viên", None, 0, True, "1.636 đảng viên", id="no-share-rounds-half-up"),
    pytest.param(D("2.675"), "km", None, 2, False, "2,68 km", id="no-share-two-decimals-half-up"),
    pytest.param(D("1635"), "", D("102"), 0, True, "1.635, đạt 102% kế hoạch", id="no-unit"),
    pytest.param(D("1635"), "", None, 0, True, "1.635", id="no-unit-no-share"),
]


@pytest.mark.parametrize(("actual", "unit", "share", "decimals", "met", "expected"), ACHIEVEMENT_CASES)
def test_it_writes_the_achievement_phrase(actual, unit, share, decimals, met, expected):
    assert achievement_phrase(actual, unit, share, decimals, met=met) == expected


def test_it_rounds_the_actual_to_whole_numbers_by_default():
    assert achievement_phrase(D("1634.5"), "đảng viên", D("102"), met=True) == (
        "1.635 đảng viên, đạt 102% kế hoạch"
    )


# --- the report's paragraph (issue 11) ---------------------------------------------------------------------

from nghiquyet.targets.sentences import (  # noqa: E402
    NotMet,
    comparison_phrase,
    join_vi,
    mid_sentence,
    not_met_lines,
    review_paragraph,
)


@pytest.mark.parametrize("items, text", [([], ""), (["A"], "A"), (["A", "B"], "A và B"), (["A", "B", "C"], "A, B và C"),
                                         (["A", "", "C"], "A và C")])
def test_join_vi(items, text):
    assert join_vi(items) == text


@pytest.mark.parametrize(
    "change, unit, text",
    [
        (D("5.75"), "percent", "tăng 5,75% so với năm 2020"),
        (D("-0.5"), "percentage_points", "giảm 0,5 điểm % so với năm 2020"),
        (D("0.001"), "percent", "bằng năm 2020"),
        (None, "percent", ""),
    ],
)
def test_comparison_phrase(change, unit, text):
    assert comparison_phrase(change, unit, "năm 2020") == text


@pytest.mark.parametrize("name, text", [("Tốc độ tăng trưởng kinh tế (GRDP)", "tốc độ tăng trưởng kinh tế (GRDP)"),
                                        ("GRDP bình quân đầu người", "GRDP bình quân đầu người"), ("", "")])
def test_a_name_inside_a_sentence(name, text):
    assert mid_sentence(name) == text


CITY = "Năm 2021, Đảng bộ thành phố"
PARAGRAPH_CASES = [
    pytest.param(Summary(total=19, exceeded=5, met=6, not_met=8), [NotMet(f"Chỉ tiêu {n}") for n in range(8)],
                 f"{CITY} thực hiện đạt và vượt 11/19 chỉ tiêu; 8/19 chỉ tiêu không đạt, gồm: chỉ tiêu 0, chỉ tiêu 1, "
                 "chỉ tiêu 2, chỉ tiêu 3, chỉ tiêu 4, chỉ tiêu 5, chỉ tiêu 6 và chỉ tiêu 7.", id="review-11-of-19"),
    pytest.param(Summary(total=3, exceeded=1, met=1, not_met=1), [NotMet("Tốc độ tăng trưởng kinh tế (GRDP)")],
                 f"{CITY} thực hiện đạt và vượt 2/3 chỉ tiêu; 1/3 chỉ tiêu không đạt, gồm: tốc độ tăng trưởng kinh tế (GRDP).",
                 id="one-not-met"),
    pytest.param(Summary(total=3, exceeded=3), [], f"{CITY} thực hiện đạt và vượt toàn bộ 3/3 chỉ tiêu.", id="all"),
    pytest.param(Summary(total=1, met=1), [], f"{CITY} thực hiện đạt và vượt toàn bộ 1/1 chỉ tiêu.", id="one-of-one"),
    pytest.param(Summary(), [], f"{CITY} chưa có chỉ tiêu nào để đánh giá.", id="none"),
    pytest.param(Summary(total=3, met=1, not_met=1, in_progress=1), [NotMet("A")],
                 f"{CITY} thực hiện đạt và vượt 1/3 chỉ tiêu; 1/3 chỉ tiêu không đạt, gồm: a; "
                 "1/3 chỉ tiêu đang thực hiện (kỳ chưa kết thúc).", id="a-running-year"),
    pytest.param(Summary(total=4, met=1, not_met=2, no_data=1), [NotMet("A")],  # the list is partial: not given
                 f"{CITY} thực hiện đạt và vượt 1/4 chỉ tiêu; 2/4 chỉ tiêu không đạt; 1/4 chỉ tiêu chưa có số liệu.",
                 id="names-only-when-complete"),
]


@pytest.mark.parametrize("summary, not_met, text", PARAGRAPH_CASES)
def test_the_review_paragraph(summary, not_met, text):
    assert review_paragraph(subject=CITY, summary=summary, not_met=not_met) == text


def test_the_not_met_section_carries_the_causes():
    assert not_met_lines([NotMet("Thu ngân sách", "khách quan: dịch bệnh kéo dài"), NotMet("Xuất khẩu")]) == [
        "Thu ngân sách (nguyên nhân khách quan: dịch bệnh kéo dài).", "Xuất khẩu."]
    assert not_met_lines([]) == []


CUMULATIVE_CASES = [
    pytest.param(dict(value=D(3380), plan=D(5100), before_value=D(2950), before_plan=D(4200)), "vi",
                 "Lũy kế đến hết tháng 10/2022: 3.380 tỷ đồng, đạt 66,27% kế hoạch năm (5.100 tỷ đồng); cùng kỳ năm 2021 "
                 "đạt 70,24% kế hoạch năm (giảm 3,97 điểm %).", id="rate-vs-last-year"),
    pytest.param(dict(value=D(3380), plan=D(5100), before_value=D(2950), before_plan=D(4200)), "en",
                 "Year to date, end of 10/2022: 3,380 tỷ đồng, 66.27% of the year's plan (5,100 tỷ đồng); same month of 2021: "
                 "70.24% of its plan (down 3.97 points).", id="english"),
    pytest.param(dict(value=D(3380), plan=None, before_value=D(2950), before_plan=None), "vi",
                 "Lũy kế đến hết tháng 10/2022: 3.380 tỷ đồng (chưa giao kế hoạch năm); cùng kỳ năm 2021: 2.950 tỷ đồng, "
                 "tăng 14,58%.", id="no-plan-growth-instead"),
    pytest.param(dict(value=D(3380), plan=D(5100), before_value=None, before_plan=D(4200)), "vi",
                 "Lũy kế đến hết tháng 10/2022: 3.380 tỷ đồng, đạt 66,27% kế hoạch năm (5.100 tỷ đồng); chưa có số cùng kỳ "
                 "năm 2021.", id="no-figure-last-year"),
    pytest.param(dict(value=D(2100), plan=D(4200), before_value=D(2000), before_plan=D(4000)), "vi",
                 "Lũy kế đến hết tháng 10/2022: 2.100 tỷ đồng, đạt 50% kế hoạch năm (4.200 tỷ đồng); cùng kỳ năm 2021 "
                 "đạt 50% kế hoạch năm (không đổi).", id="unchanged"),
    pytest.param(dict(value=D(0), plan=D(4200), before_value=D(0), before_plan=None), "vi",
                 "Lũy kế đến hết tháng 10/2022: 0 tỷ đồng, đạt 0% kế hoạch năm (4.200 tỷ đồng); cùng kỳ năm 2021: 0 tỷ đồng.",
                 id="zero-no-growth-from-zero"),
]


@pytest.mark.parametrize("figures, lang, expected", CUMULATIVE_CASES)
def test_cumulative_sentence(figures, lang, expected):
    assert cumulative_sentence(month=10, year=2022, unit="tỷ đồng", decimals=0, lang=lang, **figures) == expected
