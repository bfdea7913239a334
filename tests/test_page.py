"""The page grammar, rule by rule, on small inline pages."""
from __future__ import annotations

import pytest

from zzanalysis.page import parse_inline_byline, parse_page, parse_standalone_byline
from zzanalysis.text import normalize_text


def page(text: str):
    return parse_page([normalize_text(line) for line in text.split("\n")])


@pytest.mark.parametrize("line, source, reporters, correspondents, dateline, rest", [
    ("株洲日报（全媒体记者/温琳 通讯员/彭玲 赵小茵） 4月26日，“创建文明城市”", "株洲日报", ["温琳"], ["彭玲", "赵小茵"], "4月26日", "“创建文明城市”"),
    ("株洲日报（全媒体记者/何春林 通讯员/颜小波） 人社部近日发布", "株洲日报", ["何春林"], ["颜小波"], None, "人社部近日发布"),
    ("本报讯（记者 张三 李四）昨日，", "株洲日报", ["张三", "李四"], [], None, "昨日，"),
    ("新华社北京4月26日电（记者 王五）国务院", "新华社", ["王五"], [], "4月26日", "国务院"),
    ("（通讯员 赵六）近日，", None, [], ["赵六"], None, "近日，"),
])
def test_inline_byline(line, source, reporters, correspondents, dateline, rest):
    fields, tail = parse_inline_byline(line, "株洲日报")
    assert (fields["source"], fields["reporters"], fields["correspondents"], fields["dateline"], tail) == (
        source, reporters, correspondents, dateline, rest)
    assert fields["byline"] + tail == line or line.startswith(fields["byline"])


@pytest.mark.parametrize("line", [
    "株洲日报（以下简称“北交所”）签订合作协议",  # brackets, but no role word
    "市政府（记者站）的工作人员说了很多很多话。",  # role word inside a name that is not a list of names
    "会议强调，要坚定改革不停顿。",
])
def test_not_an_inline_byline(line):
    assert parse_inline_byline(line, "株洲日报") is None


@pytest.mark.parametrize("line, source, reporters, correspondents", [
    ("人民日报记者/余建斌 吴齐强 邱超奕", "人民日报", ["余建斌", "吴齐强", "邱超奕"], []),
    ("株洲日报全媒体记者/廖明", "株洲日报", ["廖明"], []),
    ("记者 刘芳 通讯员 唐恒", None, ["刘芳"], ["唐恒"]),
])
def test_standalone_byline(line, source, reporters, correspondents):
    fields = parse_standalone_byline(line)
    assert (fields["source"], fields["reporters"], fields["correspondents"], fields["byline"]) == (
        source, reporters, correspondents, line)


@pytest.mark.parametrize("line", ["记者节到了，大家都很开心。", "一片清水塘，映照湖南株洲发展理念之变。", "记者"])
def test_not_a_standalone_byline(line):
    assert parse_standalone_byline(line) is None


def test_column_kicker_headline_subtitle_and_jump():
    p = page("\n".join([
        "# 株洲日报", "2023年4月27日 星期四", "",
        "### 央媒看株洲", "", "胡长春在相关会议上强调", "", "## 标题一", "", "### ——副题在此", "",
        "正文第一段。", "", "▶下转02版①", "",
        "## 标题二", "", "正文。", "", "扫一扫关注株洲日报社新媒体",
    ]))
    one, two = p.fragments
    assert (one.column, one.kicker, one.headline, one.subtitle, one.continued_to) == (
        "央媒看株洲", "胡长春在相关会议上强调", "标题一", "——副题在此", "02版①")
    assert [x.text for x in one.paragraphs] == ["正文第一段。"]
    assert (two.headline, two.kicker, two.column) == ("标题二", None, None)
    assert p.extras == ["扫一扫关注株洲日报社新媒体"]
    assert p.masthead["paper"] == "株洲日报" and p.masthead["date"] == (2023, 4, 27)


def test_a_sentence_before_a_headline_is_not_a_kicker():
    p = page("## 甲\n\n正文结束了。\n\n## 乙\n\n正文。")
    assert p.fragments[1].kicker is None
    assert [x.text for x in p.fragments[0].paragraphs] == ["正文结束了。"]


def test_subhead_inside_body():
    p = page("## 甲\n\n第一段。\n\n### 为什么选择株洲?\n\n第二段。")
    assert [(x.role, x.text) for x in p.fragments[0].paragraphs] == [
        ("body", "第一段。"), ("subhead", "为什么选择株洲？"), ("body", "第二段。")]


@pytest.mark.parametrize("lines, expected", [
    (["城轨动车牵引电机智能组", "装线，实现柔性生产。"], ["城轨动车牵引电机智能组装线，实现柔性生产。"]),
    (["会议原则通过《关于进一步促进", "房地产业良性循环的若干措施》。"], ["会议原则通过《关于进一步促进房地产业良性循环的若干措施》。"]),
    (["结出硕果——", "经济总量排在湖南第五；"], ["结出硕果——", "经济总量排在湖南第五；"]),
    (["他说：“很好。”", "第二段。"], ["他说：“很好。”", "第二段。"]),
    (["第一段结束了。", "，这是上一段的尾巴。"], ["第一段结束了。，这是上一段的尾巴。"]),
])
def test_repair_joins_only_broken_paragraphs(lines, expected):
    p = page("## 甲\n\n" + "\n\n".join(lines))
    assert [x.text for x in p.fragments[0].paragraphs] == expected
    assert [x.repaired for x in p.fragments[0].paragraphs] == [len(expected) < len(lines)] * len(expected)


@pytest.mark.parametrize("line, expected", [
    ("杨军深有体会。 从拼数量到拼质量。", ["杨军深有体会。", "从拼数量到拼质量。"]),
    ("他说：“好。” 大家鼓掌。", ["他说：“好。”", "大家鼓掌。"]),
    ("“制造名城 周周好精彩”系列活动。", ["“制造名城 周周好精彩”系列活动。"]),
    ("…… 坚持把发展经济的着力点放在实体经济上。", ["……", "坚持把发展经济的着力点放在实体经济上。"]),
])
def test_glued_paragraphs_split(line, expected):
    p = page("## 甲\n\n" + line)
    assert [x.text for x in p.fragments[0].paragraphs] == expected


@pytest.mark.parametrize("text, role", [
    ("4月21日，招聘会举行。图为招聘会现场。", "caption"),
    ("图为工人在车间作业。", "caption"),
    ("市民在公园散步（全媒体记者 张三 摄）", "caption"),
    ("他认为图书馆很重要。", "body"),
])
def test_captions(text, role):
    assert page("## 甲\n\n" + text).fragments[0].paragraphs[0].role == role


@pytest.mark.parametrize("headline, kind, stem, to", [
    ("《人民日报》专版特别报道 《增强创新动力》 封二版", "teaser", "《人民日报》专版特别报道 《增强创新动力》", "封二版"),
    ("株洲GDP增长5% 详见3版", "teaser", "株洲GDP增长5%", "3版"),
])
def test_teaser(headline, kind, stem, to):
    frag = page(f"## {headline}\n\n## 下一篇\n\n正文。").fragments[0]
    assert (frag.kind, frag.headline, frag.continued_to, frag.paragraphs) == (kind, stem, to, [])


def test_headline_without_body_is_kept_and_warned():
    p = page("## 只有标题\n\n## 下一篇\n\n正文。")
    assert p.fragments[0].headline == "只有标题" and p.fragments[0].kind == "article"
    assert p.warnings == [(1, "headline without body: '只有标题'")]


def test_continued_from():
    frag = page("## 制造业名城展新颜\n\n（上接01版①）清水塘的故事还在继续。").fragments[0]
    assert frag.continued_from == "01版①"
    assert [x.text for x in frag.paragraphs] == ["清水塘的故事还在继续。"]


def test_masthead_fields():
    p = page("# 株洲日报\n\n2023年4月27日 星期四\n癸卯年三月初八 第23288期 今日8版\n\n"
             "中共株洲市委主管、主办 国内统一连续出版物号CN 43-0005\n\n## 甲\n\n正文。")
    assert p.masthead | {} == {
        "paper": "株洲日报", "paper_line": 1, "date": (2023, 4, 27), "date_line": 3, "weekday": "星期四",
        "lunar_date": "癸卯年三月初八", "issue_no": 23288, "pages_total": 8,
        "publisher": "中共株洲市委主管、主办", "cn_number": "CN 43-0005",
    }
    assert p.fragments[0].kicker is None


# --- robustness (issue 8): rules added for messy exports, each with its case -----------------

@pytest.mark.parametrize("text, column", [
    ("### 央媒看株洲 ###\n\n## 标题\n\n正文。", "央媒看株洲"),  # closing hashes are markup
    ("###央媒看株洲\n\n## 标题\n\n正文。", "央媒看株洲"),
])
def test_heading_marks(text, column):
    assert page(text).fragments[0].column == column


def test_a_sentence_before_the_first_headline_is_not_masthead():
    lead = "（上接01版①）2023年4月26日，株洲市召开会议，部署第二季度经济工作，会议强调要稳住工业基本盘。"
    p = page(f"{lead}\n\n## 标题\n\n正文。")
    assert "date" not in p.masthead and p.masthead_lines == []
    assert [f.headline for f in p.fragments] == ["", "标题"]
    assert (p.fragments[0].continued_from, p.fragments[0].paragraphs[0].text) == ("01版①", lead[8:])


def test_a_long_first_level_heading_is_not_the_nameplate():
    p = page("# " + "株洲日报" * 20 + "\n\n## 标题\n\n正文。")
    assert "paper" not in p.masthead and p.extras == ["株洲日报" * 20]


@pytest.mark.parametrize("line, reporters, correspondents, source", [
    ("株洲日報（全媒體記者/劉芳 通訊員/陳誠） 北交所揭牌。", ["劉芳"], ["陳誠"], "株洲日報"),
    ("本報訊（見習記者 張三）昨日，", ["張三"], [], "株洲日报"),
    ("株洲日报（全媒体记者/王𠀀 通讯员/𪚥𪚥） 正文。", ["王𠀀"], ["𪚥𪚥"], "株洲日报"),  # outside the BMP
])
def test_byline_variants(line, reporters, correspondents, source):
    fields, _ = parse_inline_byline(line, "株洲日报")
    assert (fields["reporters"], fields["correspondents"], fields["source"]) == (reporters, correspondents, source)


@pytest.mark.parametrize("text, role, to", [
    ("圖為招聘會現場。", "caption", None),
    ("市民在公园散步（全媒體記者 張三 攝）", "caption", None),
    ("正文结束了。\n\n▶下轉02版①", "body", "02版①"),
])
def test_traditional_keywords(text, role, to):
    frag = page("## 甲\n\n" + text).fragments[0]
    assert (frag.paragraphs[0].role, frag.continued_to) == (role, to)


def test_rejoined_paragraph_punctuation_is_normalised_at_the_join():
    # "价格1," alone keeps its ASCII comma (nothing Chinese touches it); joined, 株 does
    frag = page("## 甲\n\n价格1,\n\n株洲市民满意。").fragments[0]
    assert [(p.text, p.repaired) for p in frag.paragraphs] == [("价格1，株洲市民满意。", True)]


def test_jump_and_teaser_at_the_end_of_long_lines():
    frag = page("## 甲\n\n" + "很长的正文，" * 20_000 + "▶下转02版①").fragments[0]
    assert frag.continued_to == "02版①" and frag.paragraphs[0].text.endswith("很长的正文，")
    teaser = page("## " + "长" * 5_000 + " 详见3版\n\n## 乙\n\n正文。").fragments[0]
    assert (teaser.kind, teaser.headline, teaser.continued_to) == ("teaser", "长" * 5_000, "3版")


@pytest.mark.parametrize("text", [
    "#" * 200_000,                                    # heading marks only
    "## 甲\n\n株洲日报（" + "记者" * 100_000,          # a byline bracket that never closes
    "## 甲\n\n正文▶" + " " * 200_000 + "下转",        # a jump marker spread over spaces
    "## 甲" + " " * 200_000 + "x\n\n## 乙\n\n正文。",  # a headline with a sea of spaces
    "（" + "中共株洲市委" * 30_000,                    # publisher pattern on a giant preamble line
    "## 甲\n\n" + "断行的文字\n\n" * 50_000,          # 50,000 PDF breaks to rejoin
])
def test_pathological_lines_parse_in_linear_time(text):
    import time

    t = time.perf_counter()
    page(text)
    assert time.perf_counter() - t < 5
