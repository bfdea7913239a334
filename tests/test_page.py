"""The page grammar, rule by rule, on small inline pages."""
from __future__ import annotations

import collections
import warnings
from pathlib import Path

import pandas as pd
import pytest

import zzanalysis as zz
from zzanalysis.errors import PageWarning
from zzanalysis.page import (
    find_credit, parse_bare_dateline, parse_editors, parse_footer, parse_inline_byline, parse_page,
    parse_standalone_byline,
    split_names,
)
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


PATHOLOGICAL = {  # size n → a page no paper prints, each aimed at one pattern of the grammar
    "heading_marks_only": lambda n: "#" * n,
    "byline_bracket_never_closes": lambda n: "## 甲\n\n株洲日报（" + "记者" * n,
    "jump_marker_over_spaces": lambda n: "## 甲\n\n正文▶" + " " * n + "下转",
    "headline_with_a_sea_of_spaces": lambda n: "## 甲" + " " * n + "x\n\n## 乙\n\n正文。",
    "publisher_pattern_on_a_giant_preamble": lambda n: "（" + "中共株洲市委" * n,
    "pdf_breaks_to_rejoin": lambda n: "## 甲\n\n" + "断行的文字\n\n" * n,
}


@pytest.mark.parametrize("make", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_lines_parse_in_linear_time(make, assert_linear):
    assert_linear(page, make, 10_000)


# --- issue 12: every form the paper prints, one fixture page each (tests/data/pages/) ------------

PAGES = Path(__file__).resolve().parent / "data" / "pages"
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "raw" / "zzrb-2023-04-27-p01.md"
FIXTURES = sorted(PAGES.glob("*.md"))
FIELDS = ("kind", "column", "headline", "subtitle", "source", "outlet", "reporters", "correspondents",
          "photographers", "planners", "dateline", "byline", "continued_from", "continued_to")
DEFAULTS = dict(kind="article", column=None, subtitle=None, source="株洲日报", outlet=None, reporters=[],
                correspondents=[], photographers=[], planners=[], dateline=None, byline=None,
                continued_from=None, continued_to=None)


def read(name: str) -> zz.Issue:
    path = PAGES / name
    assert path.is_file(), f"fixture missing: {path}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PageWarning)  # the warnings are pinned via meta["warnings"]
        return zz.read_issue(path)


def _value(v):
    return None if v is None or (not isinstance(v, list) and pd.isna(v)) else v


def _row(issue: zz.Issue, position: int) -> dict:
    art = issue.articles.set_index("position").loc[position]
    return {f: _value(art[f]) for f in FIELDS}


# file, position, the fields that differ from DEFAULTS, the first paragraph's text
FORMS = [
    ("zzrb-2023-05-22-p03-byline-slash.md", 1, dict(
        headline="社区食堂开进老旧小区", reporters=["王明"], correspondents=["李华", "张强"], dateline="5月21日",
        byline="株洲日报讯（全媒体记者/王明 通讯员/李华 张强） 5月21日，"),
     "荷塘区一家社区食堂正式开门，附近的老人花十来块钱就能吃上两荤一素。"),
    ("zzrb-2023-06-05-p04-byline-space.md", 1, dict(
        headline="夜市小摊有了统一雨棚", reporters=["王明"], correspondents=["李华"],
        byline="株洲日报讯（记者 王明 通讯员 李华）"),
     "连日降雨，芦淞区一条夜市街加装了统一样式的雨棚，摊主们不用再手忙脚乱地收摊。"),
    ("zzrb-2015-05-22-p02-byline-dated.md", 1, dict(
        headline="百辆新能源公交车投入运营", reporters=["王明", "赵亮"], correspondents=["李华", "孙伟"],
        dateline="5月22日", byline="株洲日报5月22日讯（记者王明 赵亮 通讯员李华 孙伟）"),
     "今天起，一百辆新能源公交车在市区十余条线路上投入运营。"),
    ("zzrb-2019-03-12-p05-byline-block.md", 1, dict(
        headline="小微企业贷款跑出加速度", reporters=["王明"], correspondents=["李华", "张强"],
        byline="记者 王明\n通讯员/李华 张强\n株洲日报讯"),
     "今年前两个月，我市小微企业贷款余额较年初增长明显，一批企业在线上完成了申贷。"),
    ("zzrb-2021-06-22-p06-repost-rednet.md", 1, dict(
        headline="炎陵黄桃开园迎客", outlet="红网株洲站", reporters=["王明"], correspondents=["李华"],
        dateline="6月22日", byline="红网株洲站6月22日讯（株洲日报记者 王明 通讯员 李华）"),
     "今天上午，炎陵县一处黄桃基地开园，游客排队进园采摘。"),
    ("zzrb-2022-08-30-p07-repost-zznews.md", 1, dict(
        headline="新学期校园周边交通整治", outlet="株洲新闻网", reporters=["王明"], dateline="8月30日",
        byline="株洲新闻网8月30日讯（记者 王明）"),
     "开学在即，交警部门对城区中小学周边道路开展集中整治，新增了一批护学岗。"),
    ("zzrb-2014-04-10-p02-benbao.md", 1, dict(
        headline="湘江风光带新添健身步道", reporters=["王明"], byline="本报讯（记者 王明）"),
     "一条沿江健身步道近日完工，市民从家门口出发就能走上江堤。"),
    ("zzrb-2024-01-15-p08-footer.md", 1, dict(
        headline="老街灯会点亮新春", reporters=["王明"], byline="来源：株洲日报 作者：王明 编辑：李华"),
     "春节临近，醴陵一条老街挂起了数百盏手工花灯，吸引不少市民前来拍照打卡。"),
    ("zzrb-2023-09-18-p06-credits.md", 1, dict(
        headline="秋收时节稻田忙", reporters=["王明"], photographers=["王明", "李华"], planners=["王明", "李华"],
        byline="策划/执行 王明 李华\n株洲日报讯（全媒体记者/王明）"),
     "眼下，攸县的晚稻陆续成熟，农户们抢抓晴好天气收割。"),
    ("zzrb-2023-10-09-p03-names.md", 1, dict(
        headline="老年大学秋季开学", reporters=["欧阳明华"], correspondents=["司马文", "李华"], dateline="10月8日",
        byline="株洲日报讯（全媒体记者/欧阳明华 通讯员/司马文 李华） 10月8日，"),
     "市老年大学秋季学期开学，新增了短视频制作等课程。"),
    # a run that cannot be split with confidence is kept whole (and warned, see below)
    ("zzrb-2023-10-09-p03-names.md", 2, dict(
        headline="城区新开三条微循环公交", reporters=["王明赵亮李华"], byline="株洲日报讯（记者 王明赵亮李华）"),
     "10月8日起，城区新开三条微循环公交线路，方便市民到社区医院和菜市场。"),
    # a deck under the headline is the subtitle, never the first paragraph
    ("zzrb-2023-07-03-p02-repair.md", 1, dict(
        headline="动力谷再添重大项目", subtitle="总投资超百亿元", reporters=["王明"], correspondents=["李华"],
        photographers=["王明"], dateline="7月2日", byline="株洲日报讯（全媒体记者/王明 通讯员/李华） 7月2日，"),
     "一个新能源装备产业园项目在天元区签约，项目建成后将形成完整的电驱动系统产业链。"),
    # editor's note label, note, stand-alone byline block, bare 株洲日报讯
    ("zzrb-2023-07-03-p02-repair.md", 2, dict(
        headline="家门口的书房", reporters=["王明"], correspondents=["李华", "张强"],
        byline="记者 王明\n通讯员/李华 张强\n株洲日报讯"),
     "【开栏语】"),
    # briefs: short title lines, bullets with the byline at the end, 【…】 titles
    ("zzrb-2023-11-06-p04-briefs.md", 1, dict(
        kind="brief", column="简讯", headline="渌口区启动冬季送温暖活动", correspondents=["陈静"], dateline="11月5日",
        byline="株洲日报讯（通讯员/陈静） 11月5日，"),
     "渌口区启动冬季送温暖活动，为困难群众送去棉被和米油。"),
    ("zzrb-2023-11-06-p04-briefs.md", 2, dict(
        kind="brief", column="简讯", headline="茶陵县举办农民丰收节", reporters=["周文"], correspondents=["吴迪"],
        byline="株洲日报讯（记者 周文 通讯员 吴迪）"),
     "近日，茶陵县举办农民丰收节，本地农特产品现场销售火爆。"),
    ("zzrb-2023-11-06-p04-briefs.md", 3, dict(
        kind="brief", column="短讯", headline="醴陵举办陶瓷技能大赛", source=None, correspondents=["刘洋"],
        byline="（通讯员 刘洋）"),
     "近日，醴陵市举办陶瓷技能大赛，两百余名工匠同台比拼拉坯和彩绘技艺。"),
    ("zzrb-2023-11-06-p04-briefs.md", 4, dict(
        kind="brief", column="短讯", headline="攸县新增两座充电站", source=None, reporters=["孙伟"], byline="（记者 孙伟）"),
     "攸县城区两座公共充电站日前投入使用，可同时为四十辆车充电。"),
    ("zzrb-2023-11-06-p04-briefs.md", 5, dict(
        kind="brief", column="快讯", headline="天元区开展反诈宣传", correspondents=["黄磊"], dateline="11月4日",
        byline="株洲日报讯（通讯员/黄磊） 11月4日，"),
     "天元区组织民警走进社区，向居民讲解常见诈骗手法。"),
    ("zzrb-2023-11-06-p04-briefs.md", 6, dict(
        kind="brief", column="快讯", headline="荷塘区老旧小区改造完工", reporters=["郑洁"], byline="株洲日报讯（记者 郑洁）"),
     "荷塘区今年首批老旧小区改造项目近日全部完工。"),
    # opinion: a 短评 column makes a commentary; its author's name alone on a line is its byline
    ("zzrb-2023-12-11-p03-opinion.md", 1, dict(
        kind="commentary", column="短评", headline="让城市书房亮到更晚", source=None, reporters=["王明"], byline="王明"),
     "城市书房延长开放时间，是一件看似小、实则暖的事。下班后的年轻人、放学后的孩子，都需要一盏安静的灯。"),
    ("zzrb-2023-12-11-p03-opinion.md", 2, dict(
        headline="寒潮来袭 做好防寒保暖", reporters=["孙伟"], byline="株洲日报讯（记者 孙伟）"),
     "编者按：本周我市将迎来今冬首次寒潮天气，本报提醒广大市民及时添衣，出行注意安全。"),
    # jumps on page 2: marker after the repeated headline, before it, and with no headline at all
    ("zzrb-2023-04-27-p02.md", 1, dict(headline="制造业名城展新颜", source=None, continued_from="01版①"),
     "向记者介绍：“它比头发丝还细，一根一根都要经过几十道工序，过去只能依赖进口，如今我们的产品已经卖到了海外。”"),
    ("zzrb-2023-04-27-p02.md", 2, dict(headline="株洲“牵手”康宁 共同擘画更美蓝图", source=None, continued_from="01版②"),
     "今年以来，项目建设按下“快进键”。仓库改造、系统调试、海关监管设施验收等工作同步推进，各方人员加班加点，确保按期开仓。"),
    ("zzrb-2023-04-27-p02.md", 3, dict(
        headline="我市启动春季植树护绿行动", reporters=["张晓"], correspondents=["刘洋"], photographers=["张晓"],
        dateline="4月26日", byline="株洲日报讯（全媒体记者/张晓 通讯员/刘洋） 4月26日，"),
     "我市春季植树护绿行动在荷塘区启动，数百名志愿者在湘江沿岸补种苗木，为城市添绿。"),
    ("zzrb-2023-04-28-p02-jump.md", 1, dict(headline="", source=None, continued_from="01版①"),
     "那天，合作社的社员们一直忙到天黑，才把最后一批樱桃装上冷链车。"),
    ("zzrb-2023-04-28-p02-jump.md", 3, dict(headline="", source=None, continued_from="01版②"),
     "这家企业的新生产线每天可以下线上千个零部件，产品主要供应省内的整车厂。"),
    ("zzrb-2023-04-28-p02-jump.md", 5, dict(headline="", source=None, continued_from="01版③"),
     "从明年起，全市还将把这一做法推广到所有街道。"),
]


@pytest.mark.parametrize("name, position, fields, first", FORMS)
def test_every_form_gives_its_fields(name, position, fields, first):
    issue = read(name)
    assert _row(issue, position) == DEFAULTS | {"kind": "article"} | fields
    article_id = issue.articles.set_index("position").loc[position, "article_id"]
    assert issue.paragraphs[issue.paragraphs.article_id == article_id].text.iloc[0] == first


@pytest.mark.parametrize("name, position, roles", [
    ("zzrb-2023-09-18-p06-credits.md", 1, ["body", "caption", "body", "caption", "body", "caption", "caption"]),
    ("zzrb-2023-07-03-p02-repair.md", 1, ["body", "body", "body", "caption", "body"]),
    ("zzrb-2023-07-03-p02-repair.md", 2, ["editor_note", "editor_note", "body", "subhead", "body", "caption",
                                          "subhead", "body"]),
    ("zzrb-2023-08-14-p05-repair-more.md", 1, ["body", "body", "subhead", "body", "caption", "caption", "subhead",
                                              "body", "body", "body"]),
    ("zzrb-2023-08-14-p05-repair-more.md", 2, ["editor_note", "editor_note", "body", "body", "caption", "body"]),
    ("zzrb-2023-12-11-p03-opinion.md", 2, ["editor_note", "body", "body"]),
])
def test_paragraph_roles(name, position, roles):
    issue = read(name)
    article_id = issue.articles.set_index("position").loc[position, "article_id"]
    assert issue.paragraphs[issue.paragraphs.article_id == article_id].role.tolist() == roles


@pytest.mark.parametrize("name, page, section, editors", [
    ("zzrb-2023-04-27-p02.md", 2, "要闻", ["王芳", "李强"]),
    ("zzrb-2023-05-22-p03-byline-slash.md", 3, "综合", ["赵敏", "钱进"]),
    ("zzrb-2019-03-12-p05-byline-block.md", 5, "经济", ["周强"]),
    ("zzrb-2024-01-15-p08-footer.md", 8, "文化", ["陈晨"]),
])
def test_inside_page_header_gives_section_and_editors(name, page, section, editors):
    issue = read(name)
    assert (issue.meta["page"], issue.meta["section"], issue.meta["editors"]) == (page, section, editors)
    header = {issue.meta["masthead"][0], issue.meta["masthead"][1]}
    assert not any(h in t for h in header for t in issue.articles.text)
    assert not set(issue.articles.kicker.dropna()) & header


def test_inside_page_header_on_the_sample_front_page_is_absent(sample_issue):
    assert (sample_issue.meta["section"], sample_issue.meta["editors"]) == (None, [])


@pytest.mark.parametrize("line, section, page", [
    ("02 要闻", "要闻", 2), ("第03版：经济", "经济", 3), ("A2 要闻", "要闻", None), ("05版 区县", "区县", 5),
])
def test_folio_forms(line, section, page):
    p = parse_page([normalize_text(x) for x in [line, "", "2023年4月27日 星期四", "", "## 甲", "", "正文。"]])
    assert (p.masthead.get("section"), p.masthead.get("page")) == (section, page)
    assert p.fragments[0].kicker is None


def test_names_that_cannot_be_split_are_kept_and_warned():
    issue = read("zzrb-2023-10-09-p03-names.md")
    assert issue.meta["warnings"] == ["line 11: byline names not split: '王明赵亮李华' kept whole"]
    with pytest.warns(PageWarning, match="王明赵亮李华"):
        zz.read_issue(PAGES / "zzrb-2023-10-09-p03-names.md")


@pytest.mark.parametrize("chunk, expected", [
    ("彭玲 赵小茵", (["彭玲", "赵小茵"], [])),
    ("欧阳明华", (["欧阳明华"], [])),         # compound surname + two-character name
    ("司马文、李华", (["司马文", "李华"], [])),
    ("王明赵亮", (["王明赵亮"], ["王明赵亮"])),  # one name or two? not guessed
    ("王明赵亮李华", (["王明赵亮李华"], ["王明赵亮李华"])),
    ("阿依古丽·买买提", (["阿依古丽·买买提"], [])),
    ("站的工作人员说了很多很多话。", None),
    ("王", None),
])
def test_split_names(chunk, expected):
    assert split_names(chunk) == expected


@pytest.mark.parametrize("text, credit", [
    ("9月17日，农户驾驶收割机在田间作业。 王明 摄", ["王明"]),
    ("烘干中心工人在翻晒稻谷。 通讯员/李华摄", ["李华"]),
    ("市民在公园散步（全媒体记者 张三 摄）", ["张三"]),
    ("农机合作社为农户提供代收服务。 通讯员供图", []),
    ("往年秋收场景。（资料图）", []),
    ("他说大家都想去拍摄", None),               # no role, no space: not a credit
    ("会议要求加强统计基础工作。", None),
])
def test_find_credit(text, credit):
    found = find_credit(text)
    assert (found[1] if found else None) == credit


@pytest.mark.parametrize("line, fields, rest", [
    ("株洲日报讯 近日，", dict(source="株洲日报", outlet=None, dateline=None, byline="株洲日报讯"), "近日，"),
    ("株洲日报5月22日讯 今天起，", dict(source="株洲日报", outlet=None, dateline="5月22日", byline="株洲日报5月22日讯"),
     "今天起，"),
    ("株洲新闻网8月30日讯：开学在即", dict(source="株洲日报", outlet="株洲新闻网", dateline="8月30日",
                                       byline="株洲新闻网8月30日讯："), "开学在即"),
    ("本报讯 昨日，", dict(source="株洲日报", outlet=None, dateline=None, byline="本报讯"), "昨日，"),
])
def test_bare_dateline(line, fields, rest):
    assert parse_bare_dateline(line, "株洲日报") == (fields, rest)


@pytest.mark.parametrize("line", ["资讯发达的今天，", "通讯录更新了。", "株洲日报讯近日"])
def test_not_a_bare_dateline(line):
    assert parse_bare_dateline(line, "株洲日报") is None


@pytest.mark.parametrize("line, source, outlet, reporters", [
    ("来源：株洲日报 作者：王明 编辑：李华", "株洲日报", None, ["王明"]),
    ("来源：红网株洲站 作者：王明 赵亮", "株洲日报", "红网株洲站", ["王明", "赵亮"]),
])
def test_footer(line, source, outlet, reporters):
    found = parse_footer(line, "株洲日报")
    assert (found["source"], found["outlet"], found["reporters"], found["byline"]) == (source, outlet, reporters, line)


# --- nothing lost, on every fixture --------------------------------------------------------------
# Markup, like '#': heading marks, list bullets, the brackets of a 【title】, jump arrows and verbs.
_MARKUP = str.maketrans("", "", "#■●▲◆【】▶")


def _chars_of(parts) -> collections.Counter:
    return collections.Counter(ch for part in parts if isinstance(part, str) for ch in part.translate(_MARKUP)
                               if not ch.isspace())


def _accounted(issue: zz.Issue) -> list:
    parts = list(issue.meta["masthead"]) + list(issue.meta["extras"])
    box = None
    for a in issue.articles.itertuples():
        column = _value(a.column)
        if a.kind == "brief" and column == box:
            column = None  # one box heading, printed once, is the column of each of its items
        box = _value(a.column) if a.kind == "brief" else None
        parts += [column, a.kicker, a.headline, a.subtitle, a.byline, a.text]
        if isinstance(a.continued_to, str):
            parts.append(("下转" if a.kind == "article" else "") + a.continued_to)
        if isinstance(a.continued_from, str):
            parts.append("上接" + a.continued_from)
    return parts


@pytest.mark.parametrize("path", FIXTURES + [SAMPLE], ids=lambda p: p.name)
def test_nothing_lost_on_every_fixture(path):
    issue = read(path.name) if path.parent == PAGES else zz.read_issue(path)
    assert _chars_of([normalize_text(path.read_text(encoding="utf-8"))]) == _chars_of(_accounted(issue))


# Every fixture page and the headlines of the articles on it, in page order, read by hand; an
# empty headline is a continuation (▶上接01版①) with none of its own. A fixture missing here fails.
HEADLINES = {
    "zzrb-2014-04-10-p02-benbao.md": ["湘江风光带新添健身步道"],
    "zzrb-2015-05-22-p02-byline-dated.md": ["百辆新能源公交车投入运营"],
    "zzrb-2019-03-12-p05-byline-block.md": ["小微企业贷款跑出加速度"],
    "zzrb-2021-06-22-p06-repost-rednet.md": ["炎陵黄桃开园迎客"],
    "zzrb-2022-08-30-p07-repost-zznews.md": ["新学期校园周边交通整治"],
    "zzrb-2023-04-27-p02.md": ["制造业名城展新颜", "株洲“牵手”康宁 共同擘画更美蓝图", "我市启动春季植树护绿行动",
                               "芦淞区开展消防演练", "石峰区举办就业招聘会"],
    "zzrb-2023-04-28-p02-jump.md": ["", "城区道路完成“白改黑”", "", "第二届陶瓷文化周开幕", ""],
    "zzrb-2023-05-22-p03-byline-slash.md": ["社区食堂开进老旧小区"],
    "zzrb-2023-06-05-p04-byline-space.md": ["夜市小摊有了统一雨棚"],
    "zzrb-2023-07-03-p02-repair.md": ["动力谷再添重大项目", "家门口的书房"],
    "zzrb-2023-08-14-p05-repair-more.md": ["上半年外贸进出口稳中有升", "一座桥的三十年"],
    "zzrb-2023-09-18-p06-credits.md": ["秋收时节稻田忙"],
    "zzrb-2023-10-09-p03-names.md": ["老年大学秋季开学", "城区新开三条微循环公交"],
    "zzrb-2023-11-06-p04-briefs.md": ["渌口区启动冬季送温暖活动", "茶陵县举办农民丰收节", "醴陵举办陶瓷技能大赛",
                                      "攸县新增两座充电站", "天元区开展反诈宣传", "荷塘区老旧小区改造完工"],
    "zzrb-2023-12-11-p03-opinion.md": ["让城市书房亮到更晚", "寒潮来袭 做好防寒保暖"],
    "zzrb-2024-01-15-p08-footer.md": ["老街灯会点亮新春"],
}


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_every_fixture_splits_into_its_articles(path):
    articles = read(path.name).articles.sort_values("position")
    assert articles["headline"].fillna("").tolist() == HEADLINES[path.name]


# --- repair precision and recall against hand labels -------------------------------------------

def _predicted_joins(path: Path, issue: zz.Issue) -> set[tuple[str, int]]:
    """Source lines the reader joined onto the line before them."""
    lines = path.read_text(encoding="utf-8").split("\n")
    return {(path.name, n) for p in issue.paragraphs.itertuples() for n in range(p.line_start + 1, p.line_end + 1)
            if lines[n - 1].strip()}


def test_repair_precision_and_recall_against_hand_labels():
    labels = pd.read_csv(PAGES.parent / "repair_labels.csv", comment="#")
    truth = set(zip(labels.file, labels.line))
    predicted = set()
    for path in FIXTURES + [SAMPLE]:
        predicted |= _predicted_joins(path, read(path.name) if path.parent == PAGES else zz.read_issue(path))
    true_joins = len(predicted & truth)
    precision, recall = true_joins / len(predicted), true_joins / len(truth)
    assert (len(truth), len(predicted), true_joins) == (17, 17, 17)
    assert precision >= 0.95 and recall >= 0.95


@pytest.mark.parametrize("line, fields", [
    # a web outlet's own dateline, names before the role word
    ("人民网株洲6月3日电 （张平 实习生 李安）今天上午，", dict(
        outlet="人民网", source="株洲日报", reporters=["张平", "李安"], correspondents=[], photographers=[],
        dateline="6月3日")),
    # the outlet's name runs into the place: the longest site name is the outlet
    ("红网时刻株洲10月31日讯（通讯员 朱明）近日，", dict(
        outlet="红网时刻", source="株洲日报", reporters=[], correspondents=["朱明"], photographers=[],
        dateline="10月31日")),
    ("株洲日报5月22日讯（记者王明 赵亮 通讯员李华 孙伟）今天起，", dict(
        outlet=None, source="株洲日报", reporters=["王明", "赵亮"], correspondents=["李华", "孙伟"], photographers=[],
        dateline="5月22日")),
])
def test_inline_byline_forms(line, fields):
    found, _ = parse_inline_byline(line, "株洲日报")
    assert {k: found[k] for k in fields} == fields


@pytest.mark.parametrize("line, reporters, correspondents, photographers, planners", [
    ("株洲晚报融媒体记者/何明 通讯员/汤兰 摄影报道", ["何明"], ["汤兰"], ["何明", "汤兰"], []),
    ("策划/执行 王明 李华", [], [], [], ["王明", "李华"]),
    ("摄影 王明", [], [], ["王明"], []),
    ("本报评论员", [], [], [], []),
])
def test_standalone_credit_lines(line, reporters, correspondents, photographers, planners):
    found = parse_standalone_byline(line, "株洲日报")
    assert (found["reporters"], found["correspondents"], found["photographers"], found["planners"]) == (
        reporters, correspondents, photographers, planners)
    assert found["commentary"] == ("评论员" in line)


@pytest.mark.parametrize("closing, field, value", [
    ("王明 摄", "photographers", ["王明"]),
    ("来源：株洲日报 作者：王明 编辑：李华", "reporters", ["王明"]),
    ("策划/执行 王明 李华", "planners", ["王明", "李华"]),
])
def test_a_credit_or_footer_before_the_next_headline_is_not_its_kicker(closing, field, value):
    p = page(f"## 甲\n\n正文第一段。\n\n{closing}\n\n## 乙\n\n正文。")
    first, second = p.fragments
    assert (getattr(first, field), second.kicker) == (value, None)


@pytest.mark.parametrize("line, editors", [
    ("2023年4月27日 星期四 责任编辑/王芳 美术编辑/李强", ["王芳", "李强"]),
    ("责任编辑：李四 校对：王五", ["李四"]),   # a proofreader is not an editor
    ("本版编辑/张三", ["张三"]),
    ("美编 李四", []),                          # no mark after the role: not a header field
    ("编辑部召开会议", []),
])
def test_parse_editors(line, editors):
    assert parse_editors(line) == editors


@pytest.mark.parametrize("text, kind", [
    ("### 短评\n\n## 让城市书房亮到更晚\n\n正文。", "commentary"),
    ("本报评论员文章\n\n## 把好事办到群众心坎上\n\n正文。", "commentary"),
    ("## 短评｜让城市书房亮到更晚\n\n正文。", "commentary"),
    ("## 把好事办好\n\n本报评论员\n\n正文。", "commentary"),
    ("### 株洲时评\n\n## 夜读\n\n正文。", "commentary"),
    ("### 评论员说\n\n## 夜读\n\n正文。", "article"),
    ("## 评论区里的新鲜事\n\n正文。", "article"),
])
def test_commentary(text, kind):
    assert page(text).fragments[0].kind == kind


@pytest.mark.parametrize("text, subtitle, first", [
    ("## 动力谷再添重大项目\n\n总投资超百亿元\n\n株洲日报讯（记者 王明） 近日，项目签约。", "总投资超百亿元", "近日，项目签约。"),
    ("## 动力谷再添重大项目\n\n### 总投资超百亿元\n\n记者 王明\n\n株洲日报讯 近日，项目签约。", "总投资超百亿元",
     "近日，项目签约。"),
    ("## 动力谷再添重大项目\n\n一期投产\n\n二期开工\n\n本报讯 近日，项目签约。", "一期投产\n二期开工", "近日，项目签约。"),
    # no byline under it: a short first line is the start of the body, as a PDF break leaves it
    ("## 甲\n\n城轨动车牵引电机智能组\n\n装线，实现柔性生产。", None, "城轨动车牵引电机智能组装线，实现柔性生产。"),
])
def test_deck_under_the_headline(text, subtitle, first):
    frag = page(text).fragments[0]
    assert (frag.subtitle, frag.paragraphs[0].text) == (subtitle, first)


@pytest.mark.parametrize("text, headline, continued_from", [
    ("▶上接01版①\n\n## 制造业名城展新颜\n\n正文。", "制造业名城展新颜", "01版①"),
    ("## 制造业名城展新颜\n\n▶上接01版①\n\n正文。", "制造业名城展新颜", "01版①"),
    ("## 制造业名城展新颜 ▶上接01版①\n\n正文。", "制造业名城展新颜", "01版①"),
    ("## ▶上接01版② 株洲“牵手”康宁\n\n正文。", "株洲“牵手”康宁", "01版②"),
    ("## （上接第1版）株洲“牵手”康宁\n\n正文。", "株洲“牵手”康宁", "第1版"),
    ("▶上接01版①\n\n正文没有重复标题。", "", "01版①"),
])
def test_jump_from_markers(text, headline, continued_from):
    frag = page(text).fragments[0]
    assert (frag.headline, frag.continued_from, [p.text for p in frag.paragraphs]) == (
        headline, continued_from, [("正文没有重复标题。" if not headline else "正文。")])
    assert page(text).warnings == []


@pytest.mark.parametrize("text, columns, headlines, reporters", [
    ("### 简讯\n\n芦淞区开展消防演练\n\n株洲日报讯（通讯员/陈静） 近日，商户们学会了灭火。\n\n"
     "石峰区举办招聘会\n\n本报讯（记者 周文） 近日，四十余家企业到场。",
     ["简讯", "简讯"], ["芦淞区开展消防演练", "石峰区举办招聘会"], [[], ["周文"]]),
    ("【快讯】\n\n●近日，渌口区启动送温暖活动，为困难群众送去棉被。（通讯员 陈静）\n\n"
     "●茶陵县举办农民丰收节，农特产品销售火爆。（记者 周文）",
     ["【快讯】", "【快讯】"], ["", ""], [[], ["周文"]]),
])
def test_brief_box_forms(text, columns, headlines, reporters):
    frags = page(text).fragments
    assert [f.kind for f in frags] == ["brief"] * len(columns)
    assert ([f.column for f in frags], [f.headline for f in frags], [f.reporters for f in frags]) == (
        columns, headlines, reporters)


@pytest.mark.parametrize("lines, expected", [
    # a caption broken by the export and closed by its credit takes no tail
    (["图为工人在检查机车，逐节核对编号和", "铭牌。 王明 摄", "区有关负责人表示，将全程服务"],
     ["图为工人在检查机车，逐节核对编号和铭牌。 王明 摄", "区有关负责人表示，将全程服务"]),
    # a credit line alone, a label alone, a numbered subhead, a bullet: never glued to a neighbour
    (["项目正在建设中，预计年底", "王明 摄", "投产。"], ["项目正在建设中，预计年底", "王明 摄", "投产。"]),
    (["【开栏语】", "阅读点亮生活，本报推出新栏目"], ["【开栏语】", "阅读点亮生活，本报推出新栏目"]),
    (["一、旧厂房里的新去处", "书房开放半年来，借阅量稳步上升。"], ["一、旧厂房里的新去处", "书房开放半年来，借阅量稳步上升。"]),
    (["下半年将继续优化通关流程", "■ 商务部门将组织企业参展。"], ["下半年将继续优化通关流程", "■ 商务部门将组织企业参展。"]),
    (["企业负责人说，产品远销", "图为车间一角。"], ["企业负责人说，产品远销", "图为车间一角。"]),
])
def test_repair_never_joins_across_captions_labels_and_subheads(lines, expected):
    p = page("## 甲\n\n" + "\n\n".join(lines))
    assert [x.text for x in p.fragments[0].paragraphs] == expected


def test_get_compound_surnames():
    surnames = zz.get_compound_surnames()
    assert {"欧阳", "司马", "诸葛", "上官"} <= surnames and len(surnames) == 61
    assert all(len(s) == 2 for s in surnames)


# The longest source the stand-alone pattern allows (12 characters) before the role word whose
# telling character sits furthest in ("本报特约评论员": 评 at its fifth), and one character more.
@pytest.mark.parametrize("text, source, reporters, commentary", [
    ("湖南省株洲市醴陵市融媒中本报特约评论员 王明", "湖南省株洲市醴陵市融媒中", ["王明"], True),
    ("株洲日报全媒体记者/廖明", "株洲日报", ["廖明"], False),
    ("湖南省株洲市醴陵市融媒中心本报特约评论员 王明", None, None, None),
])
def test_standalone_byline_at_the_reach_of_its_role_word(text, source, reporters, commentary):
    fields = parse_standalone_byline(text)
    if source is None:
        assert fields is None
    else:
        assert (fields["source"], fields["reporters"], fields["commentary"]) == (source, reporters, commentary)


LONG = "今年一季度，全市规模工业增加值同比增长百分之八点一，高于全省平均水平，新开工项目数量和投资额均创同期新高，一批重点项目相继投产。"


# Long body lines skip the role tests by their first character and the characters a caption
# needs; lines that carry those characters keep their roles however long they are.
@pytest.mark.parametrize("line, role", [
    (LONG, "body"),
    ("企业负责人介绍了新产品的研发过程。图为车间一角，" + LONG, "caption"),
    (LONG + " 全媒体记者/张晓 摄", "caption"),
    ("▲" + LONG, "caption"),
    ("编者按：" + LONG, "editor_note"),
    ("【编者的话】" + LONG, "editor_note"),
])
def test_paragraph_roles_of_long_lines(line, role):
    assert len(line) > 60
    p = page("## 甲\n\n" + line)
    assert [x.role for x in p.fragments[0].paragraphs] == [role]


@pytest.mark.parametrize("line, reporters", [
    ("全媒体记者/温琳 通讯员/彭玲 赵小茵", ["温琳"]),
    ("株洲日报讯 记者/王明", None),
])
def test_a_byline_parsed_again_gives_fresh_lists(line, reporters):
    # each distinct byline is parsed once (cached); callers extend the lists they get
    from zzanalysis.page import parse_standalone_byline

    first = parse_standalone_byline(line, "株洲日报")
    if reporters is None:
        assert first is None
        return
    first["reporters"].append("李四")
    first["correspondents"].clear()
    again = parse_standalone_byline(line, "株洲日报")
    assert again["reporters"] == reporters and again["reporters"] is not first["reporters"]
    assert again["correspondents"] == (["彭玲", "赵小茵"] if "通讯员" in line else [])
