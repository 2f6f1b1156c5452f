"""Year and agency from a title as printed: broken over two lines, or with 关于 between agency and year."""

from __future__ import annotations

import pytest

from nlp.read import identify


@pytest.mark.parametrize(
    ("text", "year", "agency"),
    [
        ("正文\n2024 年上海市科委政府信息公开工作\n年度报告\n根据", 2024, "上海市科委"),
        (
            "平潭综合实验区财政金融局 关于2021年度政府信息公开工作年度报告\n一、总体情况",
            2021,
            "平潭综合实验区财政金融局",
        ),
        ("某市人民政府关于2020年政府信息公开工作年度报告\n", 2020, "某市人民政府"),
        ("某县交通运输局2019年政府信息公开工作年度报告\n", 2019, "某县交通运输局"),
    ],
)
def test_year_and_agency_from_the_title(text: str, year: int, agency: str) -> None:
    title = identify.find_title(text)
    assert identify.detect_year(text, title) == year
    assert identify.detect_agency(text, title) == agency
