"""Economic indicators: hand-labelled spans, the non-indicators, frames in and out, the sample page."""
from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import zzanalysis as zz
from zzanalysis import indicators as _ind
from zzanalysis.indicators import INDICATOR_COLUMNS

# ---------------------------------------------------------------- hand-labelled spans
# (sentence, span as printed, value in base units, base unit, kind, approx). The first block is
# taken from the sample page (zzrb-2023-04-27-p01, after the reader's normalisation); the rest
# are sentences written in the style of Chinese economic news to cover every form of issue 6.
S_CLUSTER = "目前，株洲功率半导体器件产业集群规模达469亿元，已构建芯片、模块、装置、系统完整产业链，聚集了一支5000余人的国家重点领域创新团队。"
S_QINGSHUITANG = "10年间，搬迁、腾退、治理，当地261家污染企业全部关停。退出落后产能，一年减少300亿元产值，但株洲下定决心，走高质量发展之路。"
S_RANK = "经济总量排在湖南第五，人均GDP居全省第二；"
S_ENGINES = "全国城市创新能力百强榜排名第三十二位； 全国每10台中小航空发动机，有9台是“株洲造”；"
S_MOTOR = "装线，实现100多个型号电机的柔性自动生产，相比传统方式，作业效率提升2.25倍。"
S_SUPPLY = "“在株洲，仅需一盏茶的工夫，就能在方圆5公里内集齐一台机车的上万个零部件。”中车株洲电机城轨事业部总成车间技术主管陈宇杰说。同样，在株洲经开区北斗大厦，聚集了23家卫星制造、应用等领域企业，可能喝一杯咖啡的时间，就能谈成一个好项目。"
S_GIANTS = "目前，株洲拥有国家重点专精特新“小巨人”企业58家，其中国家重点“小巨人”企业25家。"
S_ALLIANCE = "丁荣军介绍，功率半导体行业联盟有25家产业链企业，已经发展了120余家会员企业，组织编制和发布了团体标准23项，立项行业标准12项。"
S_PLATFORMS = "近年来，湖南功率半导体产业化点为珠、聚成链、链成群，形成了长沙、株洲“双核驱动”，建成国家级创新平台13个，主导国家级创新项目67项。"
S_VILLAGES = "会上，渌口区、茶陵县、攸县获评“村电共治·便民服务”工程先进县市区，茶陵县耒市镇等20个乡镇（街道）获评先进乡镇（街道），炎陵县苍背村等100个村（社区）获评先进二类村（社区），郭路等百人获评先进电力联络员。"
S_CORNING = "迄今为止，该公司在中国地区投资超过90亿美元，拥有23家工厂和研发机构，员工6000余人。"
S_JOBS = "2018年以来，全市城镇新增就业人员年均超过6万人；城镇调查失业率连续多年低于全国、全省平均水平；就业创业工作走在全省前列，3次获得省政府真抓实干激励表扬。"
S_FAIR = "4月21日，市委人才办、市人社局组织“智汇潇湘·才聚株洲”先进制造业贵州大学招聘会，我市25家优质企业提供800余个岗位供贵州大学毕业生挑选。"
S_SHOWS = "该活动全年将完成13场演出，每场演出1小时左右。"

SPANS = [
    # --- the sample page
    (S_CLUSTER, "469亿元", 46_900_000_000.0, "元", "money", False),
    (S_CLUSTER, "5000余人", 5000.0, "人", "count", True),
    (S_QINGSHUITANG, "261家", 261.0, "家", "count", False),
    (S_QINGSHUITANG, "300亿元", 30_000_000_000.0, "元", "money", False),
    (S_QINGSHUITANG, "10年", 10.0, "年", "duration", False),
    ("如今，这里水清岸绿、生机勃勃，一个百亿元产值的产业新城“拔节生长”。", "百亿元", 10_000_000_000.0, "元", "money", False),
    (S_RANK, "第五", 5.0, "位", "rank", False),
    (S_RANK, "第二", 2.0, "位", "rank", False),
    (S_ENGINES, "第三十二位", 32.0, "位", "rank", False),
    (S_ENGINES, "10台", 10.0, "台", "count", False),
    (S_ENGINES, "9台", 9.0, "台", "count", False),
    (S_MOTOR, "100多个", 100.0, "个", "count", True),
    (S_MOTOR, "2.25倍", 2.25, "倍", "multiple", False),
    (S_SUPPLY, "5公里", 5.0, "公里", "measure", False),
    (S_SUPPLY, "上万个", 10_000.0, "个", "count", True),
    (S_SUPPLY, "23家", 23.0, "家", "count", False),
    (S_GIANTS, "58家", 58.0, "家", "count", False),
    (S_GIANTS, "25家", 25.0, "家", "count", False),
    ("能在指甲盖大小的精细印刷电路板上精准打出2500个钻孔。", "2500个", 2500.0, "个", "count", False),
    (S_PLATFORMS, "13个", 13.0, "个", "count", False),
    (S_PLATFORMS, "67项", 67.0, "项", "count", False),
    (S_ALLIANCE, "25家", 25.0, "家", "count", False),
    (S_ALLIANCE, "120余家", 120.0, "家", "count", True),
    (S_ALLIANCE, "23项", 23.0, "项", "count", False),
    (S_ALLIANCE, "12项", 12.0, "项", "count", False),
    ("会上，6个产业项目现场签约。", "6个", 6.0, "个", "count", False),
    (S_VILLAGES, "20个", 20.0, "个", "count", False),
    (S_VILLAGES, "100个", 100.0, "个", "count", False),
    (S_VILLAGES, "百人", 100.0, "人", "count", False),
    ("这是一家总部在美国纽约州，有着170余年历史的美国财富500强企业。", "170余年", 170.0, "年", "duration", True),
    (S_CORNING, "超过90亿美元", 9_000_000_000.0, "美元", "money", True),
    (S_CORNING, "23家", 23.0, "家", "count", False),
    (S_CORNING, "6000余人", 6000.0, "人", "count", True),
    ("此次在全国范围内推荐了199个工作基础较好、积极性较高的城市参与创建。", "199个", 199.0, "个", "count", False),
    (S_JOBS, "超过6万人", 60_000.0, "人", "count", True),
    (S_JOBS, "3次", 3.0, "次", "count", False),
    (S_FAIR, "25家", 25.0, "家", "count", False),
    (S_FAIR, "800余个", 800.0, "个", "count", True),
    (S_SHOWS, "13场", 13.0, "场", "count", False),
    (S_SHOWS, "1小时左右", 1.0, "小时", "duration", True),
    ("退休工人张湘东拍了30多年城市风貌，对早年的清水塘记忆深刻。", "30多年", 30.0, "年", "duration", True),
    ("株洲肯特硬质合金股份有限公司等六家高精尖新“小巨人”企业，与贵州大学相关学院达成意向。", "六家", 6.0, "家", "count", False),
    ("5天后，在省商务厅的指导下，我市相关领导率队到访康宁深圳公司。", "5天", 5.0, "天", "duration", False),
    # --- Arabic numbers with magnitudes, thousands separators, scanned spacing, full-width digits
    ("今年一季度，全市地区生产总值达3420.3亿元，同比增长4.5%。", "3420.3亿元", 342_030_000_000.0, "元", "money", False),
    ("今年一季度，全市地区生产总值达3420.3亿元，同比增长4.5%。", "增长4.5%", 4.5, "%", "growth", False),
    ("全年粮食总产量达1655.3万吨，创历史新高。", "1655.3万吨", 16_553_000.0, "吨", "measure", False),
    ("2022年，全省进出口总额14467.1亿元。", "14467.1亿元", 1_446_710_000_000.0, "元", "money", False),
    ("全市城镇新增就业6万人，完成年度目标的112%。", "6万人", 60_000.0, "人", "count", False),
    ("全市城镇新增就业6万人，完成年度目标的112%。", "112%", 112.0, "%", "percent", False),
    ("该项目总投资1,500万元，建设周期18个月。", "1,500万元", 15_000_000.0, "元", "money", False),
    ("该项目总投资1,500万元，建设周期18个月。", "18个月", 18.0, "月", "duration", False),
    ("居民人均可支配收入同比增长9 .57%。", "增长9 .57%", 9.57, "%", "growth", False),
    ("一季度完成固定资产投资1 .8亿元。", "1 .8亿元", 180_000_000.0, "元", "money", False),
    ("全市外贸出口额达到４６９亿元。", "４６９亿元", 46_900_000_000.0, "元", "money", False),
    ("高新技术产业增加值增长１２．５％。", "增长１２．５％", 12.5, "%", "growth", False),
    ("全市新增市场主体1.2万户，其中企业3086家。", "1.2万户", 12_000.0, "户", "count", False),
    ("全市新增市场主体1.2万户，其中企业3086家。", "3086家", 3086.0, "家", "count", False),
    ("该公司实现营业收入236.8亿元，净利润25.6亿元。", "236.8亿元", 23_680_000_000.0, "元", "money", False),
    ("该公司实现营业收入236.8亿元，净利润25.6亿元。", "25.6亿元", 2_560_000_000.0, "元", "money", False),
    ("项目拟引进外资5000万欧元。", "5000万欧元", 50_000_000.0, "欧元", "money", False),
    ("该基地占地面积12.5万平方米，总建筑面积8万平米。", "12.5万平方米", 125_000.0, "平方米", "measure", False),
    ("该基地占地面积12.5万平方米，总建筑面积8万平米。", "8万平米", 80_000.0, "平方米", "measure", False),
    ("今年新增光伏装机30万千瓦，年发电量约1.2亿千瓦时。", "30万千瓦", 300_000.0, "千瓦", "measure", False),
    ("今年新增光伏装机30万千瓦，年发电量约1.2亿千瓦时。", "约1.2亿千瓦时", 120_000_000.0, "千瓦时", "measure", True),
    ("新建城市道路3.5公里、绿道12千米。", "3.5公里", 3.5, "公里", "measure", False),
    ("新建城市道路3.5公里、绿道12千米。", "12千米", 12.0, "公里", "measure", False),
    ("流转土地2.3万亩，建成高标准农田5000公顷。", "2.3万亩", 23_000.0, "亩", "measure", False),
    ("流转土地2.3万亩，建成高标准农田5000公顷。", "5000公顷", 5000.0, "公顷", "measure", False),
    ("株洲港全年完成集装箱吞吐量6.8万标箱。", "6.8万标箱", 68_000.0, "标箱", "measure", False),
    ("电解铝均价为18600元/吨。", "18600元/吨", 18_600.0, "元/吨", "price", False),
    # --- Chinese numerals
    ("全市共有三十二家上市公司。", "三十二家", 32.0, "家", "count", False),
    ("两百名志愿者参与了服务。", "两百名", 200.0, "人", "count", False),
    ("项目建成后可带动就业两千三百人。", "两千三百人", 2300.0, "人", "count", False),
    ("全市已建成5G基站一万二千个。", "一万二千个", 12_000.0, "个", "count", False),
    ("百分之三十的企业实现了数字化转型。", "百分之三十", 30.0, "%", "percent", False),
    ("全市七成以上规模工业企业完成技术改造。", "七成以上", 70.0, "%", "percent", True),
    ("三年来，累计培育专精特新企业二十五家。", "二十五家", 25.0, "家", "count", False),
    ("市里先后举办了三场招聘会。", "三场", 3.0, "场", "count", False),
    # --- percentage points, growth, decline, multiples
    ("制造业增加值占比提高2个百分点。", "提高2个百分点", 2.0, "百分点", "growth", False),
    ("城镇调查失业率下降0.3个百分点。", "下降0.3个百分点", -0.3, "百分点", "growth", False),
    ("规模以上工业增加值同比下降16.3%。", "下降16.3%", -16.3, "%", "growth", False),
    ("全市社会消费品零售总额增长了8.2%。", "增长了8.2%", 8.2, "%", "growth", False),
    ("研发投入强度达到2.8%。", "2.8%", 2.8, "%", "percent", False),
    ("出口额是去年同期的3倍。", "3倍", 3.0, "倍", "multiple", False),
    # --- ranges
    ("产品良品率稳定在85%-95%之间。", "85%-95%", 85.0, "%", "percent", False),
    ("企业技术改造周期一般为3至5年。", "3至5年", 3.0, "年", "duration", False),
    ("单个项目奖励1000-2000万元。", "1000-2000万元", 10_000_000.0, "元", "money", False),
    ("每个园区可容纳10～15家企业。", "10～15家", 10.0, "家", "count", False),
    # --- hedges
    ("全市约300家企业参加了展会。", "约300家", 300.0, "家", "count", True),
    ("活动吸引近百家企业参展。", "近百家", 100.0, "家", "count", True),
    ("项目吸纳就业逾2000人。", "逾2000人", 2000.0, "人", "count", True),
    ("新增就业岗位100人以上的企业可获奖励。", "100人以上", 100.0, "人", "count", True),
    ("该行业利润率不到5%。", "不到5%", 5.0, "%", "percent", True),
    ("基金规模将近50亿元。", "将近50亿元", 5_000_000_000.0, "元", "money", True),
    ("该园区已吸引上千名技术工人。", "上千名", 1000.0, "人", "count", True),
    ("工程历时1年多。", "1年多", 1.0, "年", "duration", True),
    # --- ranks
    ("该区营商环境评价位列全国第3名。", "第3名", 3.0, "位", "rank", False),
    ("株洲人均GDP全省第一。", "第一", 1.0, "位", "rank", False),
    ("全市高新技术企业数量跃居全省第二。", "第二", 2.0, "位", "rank", False),
]


def _find(sentence: str, text: str) -> pd.Series:
    found = zz.extract_indicators(sentence)
    rows = found[found["text"] == text]
    assert len(rows) == 1, f"{text!r} not found once in {found['text'].tolist()}"
    return rows.iloc[0]


@pytest.mark.parametrize("sentence, text, value, unit, kind, approx", SPANS)
def test_labelled_span(sentence, text, value, unit, kind, approx):
    row = _find(sentence, text)
    assert row["value"] == value
    assert row["unit"] == unit
    assert row["kind"] == kind
    assert row["approx"] == approx
    assert sentence.split("\n")[row["para_no"] - 1][row["start"]:row["end"]] == text


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # every figure of a sentence, in order, and nothing else
        (S_CLUSTER, ["469亿元", "5000余人"]),
        (S_QINGSHUITANG, ["10年", "261家", "300亿元"]),
        (S_SUPPLY, ["5公里", "上万个", "23家"]),
        (S_JOBS, ["超过6万人", "3次"]),
        ("如今，这里水清岸绿、生机勃勃，一个百亿元产值的产业新城“拔节生长”。", ["百亿元"]),
        ("产品良品率稳定在85%-95%之间。", ["85%-95%"]),
    ],
)
def test_all_figures_of_a_sentence(sentence, expected):
    assert zz.extract_indicators(sentence)["text"].tolist() == expected


# ---------------------------------------------------------------- not indicators
NOT_INDICATORS = [
    "项目总投资亿元以上。",  # a bare magnitude is a unit word, not a quantity
    "他家曾是当地有名的万元户。",
    "产值1e400亿元。",
    "4月26日，“创建文明城市 共享幸福株洲”惠民演出活动举行。",
    "该活动为2023年“制造名城 周周好精彩”系列文化活动的启幕活动。",
    "2020年9月16日至18日，习近平总书记到湖南考察。",
    "2023年4月27日 星期四 癸卯年三月初八 第23288期 今日8版",
    "会议原则通过《关于认真做好第五次全国经济普查工作的通知》。",
    "将举办“向劳动者致敬”——庆祝五一专场文艺演出。",
    "为深入落实“三高四新”战略定位与使命任务提供有力支撑。",
    "坚决实现“五个确保”目标。",
    "中国功率半导体行业联盟第八届国际学术论坛在株洲举行。",
    "我们做轨道交通时，第一条轨道交通客户就在株洲；做风电材料，第一家风电整机厂客户也在株洲。",
    "这是康宁公司在全国第三家、华中地区第一家物流分拨中心。",
    "中共株洲市委主管、主办 国内统一连续出版物号CN 43-0005",
    "株洲B保中心自2018年3月封关运营以来，引进落户的最大外资外贸项目。",
    "▶下转02版①",
    "《人民日报》专版特别报道 封二版",
    "P6型机车下线。",
    "咨询电话：0731-28681234。",
    "身份证号430203199001011234。",
    "千方百计促进高质量充分就业。",
    "新鲜蔬菜走进千家万户。",
    "数百家企业参展。",
    "十几家企业签约。",
    "“十四五”时期，株洲将加快发展。",
    "2023-2025年行动计划印发。",
    "上世纪80年代，株洲是老工业基地。",
    "一片清水塘，映照湖南株洲发展理念之变。",
    "可能喝一杯咖啡的时间，就能谈成一个好项目。",
    "建设全国统一大市场。",
    "中国功率半导体行业联盟第3次会员大会。",
    "去年11月24日，我市与康宁、湘粤非平台签订三方协议。",
]


@pytest.mark.parametrize("sentence", NOT_INDICATORS)
def test_not_an_indicator(sentence):
    found = zz.extract_indicators(sentence)
    assert found.empty, found["text"].tolist()


# ---------------------------------------------------------------- subjects, qualifiers, periods, categories
@pytest.mark.parametrize(
    "sentence, text, subject, category",
    [
        (S_CLUSTER, "469亿元", "产业集群规模", "output"),
        (S_QINGSHUITANG, "261家", "污染企业", "enterprises"),
        (S_QINGSHUITANG, "300亿元", "产值", "output"),
        (S_FAIR, "800余个", "岗位", "employment"),
        (S_FAIR, "25家", "优质企业", "enterprises"),
        (S_CORNING, "超过90亿美元", "投资", "investment"),
        (S_CORNING, "6000余人", "员工", "employment"),
        (S_RANK, "第五", "经济总量", "rank"),
        (S_RANK, "第二", "人均GDP", "rank"),
        (S_MOTOR, "2.25倍", "作业效率", "efficiency"),
        (S_JOBS, "超过6万人", "就业人员", "employment"),
        (S_PLATFORMS, "67项", "国家级创新项目", "projects"),
        (S_ENGINES, "9台", "中小航空发动机", "products"),  # 每10台…有9台: the same engines
        ("2022年，全省进出口总额14467.1亿元。", "14467.1亿元", "进出口总额", "trade"),
    ],
)
def test_subject_and_category(sentence, text, subject, category):
    row = _find(sentence, text)
    assert row["subject"] == subject
    assert row["category"] == category


@pytest.mark.parametrize(
    "sentence, text, qualifier, period, basis",
    [
        (S_JOBS, "超过6万人", "超过", "年均", None),
        (S_SUPPLY, "上万个", "上", None, None),
        (S_SHOWS, "1小时左右", "左右", "全年", None),
        (S_ALLIANCE, "120余家", "余", None, None),
        # 同比 is the comparison basis, not the period (issue 13)
        ("今年一季度，全市地区生产总值达3420.3亿元，同比增长4.5%。", "增长4.5%", None, "一季度", "同比"),
        ("今年一季度，全市地区生产总值达3420.3亿元，同比增长4.5%。", "3420.3亿元", None, "一季度", None),
        ("2022年，全省进出口总额14467.1亿元。", "14467.1亿元", None, "2022年", None),
        ("2023年1至4月，全市新增就业1.2万人，比上年同期增加0.3万人。", "0.3万人", None, "2023年1至4月", "比上年同期"),
        ("全市规模工业增加值同比分别增长5.1%、6.2%。", "6.2%", None, None, "同比"),
    ],
)
def test_qualifier_period_and_basis(sentence, text, qualifier, period, basis):
    row = _find(sentence, text)
    assert (None if pd.isna(row["qualifier"]) else row["qualifier"]) == qualifier
    assert (None if pd.isna(row["period"]) else row["period"]) == period
    assert (None if pd.isna(row["basis"]) else row["basis"]) == basis


def test_range_has_value_max_and_others_nan():
    found = zz.extract_indicators("良品率稳定在85%-95%之间，产值增长12%。")
    assert found["value"].tolist() == [85.0, 12.0]
    assert found["value_max"].iloc[0] == 95.0
    assert math.isnan(found["value_max"].iloc[1])


def test_sentence_is_the_one_holding_the_figure():
    found = zz.extract_indicators(S_QINGSHUITANG)
    assert found.set_index("text").loc["300亿元", "sentence"] == "退出落后产能，一年减少300亿元产值，但株洲下定决心，走高质量发展之路。"
    assert found.set_index("text").loc["261家", "sentence"] == "10年间，搬迁、腾退、治理，当地261家污染企业全部关停。"


def test_kinds_filter():
    found = zz.extract_indicators(S_CORNING, kinds=["money"])
    assert found["text"].tolist() == ["超过90亿美元"]
    with pytest.raises(ValueError, match="unknown kind"):
        zz.extract_indicators(S_CORNING, kinds=["dollars"])


# ---------------------------------------------------------------- inputs and outputs
@pytest.fixture
def toy_articles() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "article_id": ["A", "B", "C"],
            "date": pd.to_datetime(["2023-04-27", "2023-04-27", "2023-04-28"]),
            "kind": ["article", "article", "photo"],
            "headline": ["产业集群", "就业", "图片"],
            "text": [
                "产业集群规模达469亿元。\n集聚企业120余家。",
                "新增就业超过6万人。",
                "图为招聘会现场。",
            ],
        }
    )


def test_articles_frame_carries_metadata(toy_articles):
    before = toy_articles.copy()
    found = zz.extract_indicators(toy_articles)
    pd.testing.assert_frame_equal(toy_articles, before)  # the caller's frame is untouched
    assert found.columns.tolist()[: len(INDICATOR_COLUMNS)] == INDICATOR_COLUMNS
    assert found.columns.tolist()[len(INDICATOR_COLUMNS):] == ["date", "article_kind", "headline"]
    assert found["article_id"].tolist() == ["A", "A", "B"]
    assert found["para_no"].tolist() == [1, 2, 1]
    assert found["headline"].tolist() == ["产业集群", "产业集群", "就业"]
    assert found["date"].dtype == toy_articles["date"].dtype
    assert found["value"].tolist() == [46_900_000_000.0, 120.0, 60_000.0]
    for row in found.itertuples():
        para = toy_articles.set_index("article_id").loc[row.article_id, "text"].split("\n")[row.para_no - 1]
        assert para[row.start:row.end] == row.text


def test_paragraphs_frame_gives_the_same_spans(toy_articles):
    paragraphs = pd.DataFrame(
        {
            "article_id": ["A", "A", "B", "C"],
            "para_no": [1, 2, 1, 1],
            "role": ["body", "body", "body", "caption"],
            "text": ["产业集群规模达469亿元。", "集聚企业120余家。", "新增就业超过6万人。", "图为招聘会现场。"],
        }
    )
    by_para = zz.extract_indicators(paragraphs)
    by_article = zz.extract_indicators(toy_articles)
    keys = ["article_id", "para_no", "start", "end", "text", "value"]
    pd.testing.assert_frame_equal(by_para[keys], by_article[keys])
    assert by_para["role"].tolist() == ["body", "body", "body"]


def test_plain_string_is_one_article_with_numbered_lines():
    found = zz.extract_indicators("产值469亿元。\n企业120余家。")
    assert found["article_id"].isna().all()
    assert found["para_no"].tolist() == [1, 2]
    assert found["start"].tolist() == [2, 2]


def test_empty_results_keep_the_columns():
    found = zz.extract_indicators("今天天气很好。")
    assert found.empty
    assert found.columns.tolist() == INDICATOR_COLUMNS
    assert found["value"].dtype == "float64"
    assert found["approx"].dtype == bool


def test_bad_input():
    with pytest.raises(TypeError):
        zz.extract_indicators(42)
    with pytest.raises(ValueError, match="text"):
        zz.extract_indicators(pd.DataFrame({"article_id": ["A"]}))


def test_get_indicator_units():
    units = zz.get_indicator_units()
    assert units.columns.tolist() == ["unit", "base_unit", "multiplier", "kind"]
    assert units.set_index("unit").loc["兆瓦", "multiplier"] == 1000.0
    assert units["unit"].is_unique


# ---------------------------------------------------------------- robustness
@pytest.mark.parametrize(
    "prefix, unit, n, suffix",
    [
        ("", "1", 25_000, ""),
        ("", "1", 25_000, "个"),
        ("", "一", 25_000, ""),
        ("", "二", 25_000, "家"),
        ("1", ",000", 7_500, "，"),
        ("", "9 .", 7_500, ""),
        ("", "第", 12_500, "五"),
        ("", "超过", 7_500, "5家"),
        ("", "5-", 12_500, ""),
        # one paragraph with thousands of figures, owners, yardsticks and anaphors
        ("", "1个，", 1_000, ""),
        ("", "株洲恒远精工有限公司产值1亿元，", 300, ""),
        ("", "长沙GDP增长5%，", 500, ""),
        ("", "该公司投资3亿元，", 500, ""),
        ("", "人均GDP居全省第二，", 500, ""),
    ],
)
def test_long_inputs_are_linear(assert_linear, prefix, unit, n, suffix):
    # Twice the text may take about twice as long, not four times (quadratic).
    assert_linear(zz.extract_indicators, lambda k: prefix + unit * k + suffix, n)


def test_a_number_beyond_float_range_keeps_its_row_with_value_nan():
    # 10**1000008 yuan: no float holds it; the span is still reported, its value unknown.
    text = "9" * 1_000_000 + "亿元"
    found = zz.extract_indicators(text + "，另有5家。")
    assert found["text"].tolist() == [text, "5家"]
    assert math.isnan(found["value"].iloc[0])
    assert found["value"].iloc[1] == 5.0
    assert found[["unit", "kind", "start", "end"]].iloc[0].tolist() == ["元", "money", 0, 1_000_002]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="0123456789.,-%第一二三十百千万亿余多约超过家个人元亿年月日倍位名“”，。 ", max_size=60))
def test_spans_always_index_the_paragraph(text):
    found = zz.extract_indicators(text)
    lines = text.split("\n")
    for row in found.itertuples():
        assert lines[row.para_no - 1][row.start:row.end] == row.text
        assert row.start < row.end


# ---------------------------------------------------------------- the sample page
SAMPLE_FIGURES = [
    # (text, value, unit) that must come out of the sample page
    ("469亿元", 46_900_000_000.0, "元"), ("261家", 261.0, "家"), ("300亿元", 30_000_000_000.0, "元"),
    ("百亿元", 10_000_000_000.0, "元"), ("2.25倍", 2.25, "倍"), ("第五", 5.0, "位"), ("第二", 2.0, "位"),
    ("第三十二位", 32.0, "位"), ("10台", 10.0, "台"), ("9台", 9.0, "台"), ("100多个", 100.0, "个"),
    ("上万个", 10_000.0, "个"), ("5公里", 5.0, "公里"), ("23家", 23.0, "家"), ("58家", 58.0, "家"),
    ("25家", 25.0, "家"), ("2500个", 2500.0, "个"), ("13个", 13.0, "个"), ("67项", 67.0, "项"),
    ("5000余人", 5000.0, "人"), ("120余家", 120.0, "家"), ("23项", 23.0, "项"), ("12项", 12.0, "项"),
    ("6个", 6.0, "个"), ("20个", 20.0, "个"), ("100个", 100.0, "个"), ("170余年", 170.0, "年"),
    ("超过90亿美元", 9_000_000_000.0, "美元"), ("6000余人", 6000.0, "人"), ("199个", 199.0, "个"),
    ("超过6万人", 60_000.0, "人"), ("3次", 3.0, "次"), ("800余个", 800.0, "个"), ("13场", 13.0, "场"),
    ("1小时左右", 1.0, "小时"), ("30多年", 30.0, "年"),
]


@pytest.fixture(scope="module")
def sample_indicators(sample_articles):
    return zz.extract_indicators(sample_articles)


@pytest.mark.parametrize("text, value, unit", SAMPLE_FIGURES)
def test_sample_page_figure(sample_indicators, text, value, unit):
    rows = sample_indicators[sample_indicators["text"] == text]
    assert len(rows) >= 1
    assert (rows["value"] == value).all()
    assert (rows["unit"] == unit).all()


def test_sample_page_counts(sample_indicators):
    assert len(sample_indicators) == 43
    assert sample_indicators["text"].value_counts()[["25家", "23家"]].tolist() == [3, 2]
    assert sample_indicators["kind"].value_counts().to_dict() == {
        "count": 29, "duration": 5, "money": 4, "rank": 3, "multiple": 1, "measure": 1,
    }


@pytest.mark.parametrize(
    "printed",
    ["4月26日", "2023年", "23288", "8版", "第五次", "五一", "三高四新", "五个确保", "第八届", "第一条",
     "第一家", "第三家", "43-0005", "0005", "2018年", "02版", "2020年"],
)
def test_sample_page_non_indicators(sample_indicators, printed):
    assert not sample_indicators["text"].str.contains(printed, regex=False).any()


def test_sample_page_provenance(sample_paragraphs, sample_indicators):
    found = zz.extract_indicators(sample_paragraphs)
    text = sample_paragraphs.set_index(["article_id", "para_no"])["text"]
    for row in found.itertuples():
        assert text.loc[(row.article_id, row.para_no)][row.start:row.end] == row.text
        assert row.text in row.sentence
    # the articles frame and the paragraphs frame agree span for span
    keys = ["article_id", "para_no", "start", "end", "text", "value", "unit", "kind", "subject"]
    pd.testing.assert_frame_equal(found[keys], sample_indicators[keys])


# ---------------------------------------------------------------- the labelled set (issue 13)
# tests/data/indicators_gold.toml: passages written in the forms of economic news, every figure
# labelled by hand. Values, units and kinds must be exact for every figure; subjects, places,
# organisations, periods and bases must be right for at least 90% (printed by running this file).
import tomllib  # noqa: E402
from pathlib import Path  # noqa: E402

GOLD_PATH = Path(__file__).parent / "data" / "indicators_gold.toml"
GOLD_FIELDS = ["text", "value", "unit", "kind", "subject", "place", "organization", "period", "basis"]


def _gold() -> list[tuple[str, list[dict]]]:
    passages = tomllib.loads(GOLD_PATH.read_text("utf-8"))["passage"]
    return [(p["text"], [dict(zip(GOLD_FIELDS, f, strict=True)) for f in p["figures"]]) for p in passages]


GOLD = _gold()
GOLD_FIGURES = [(text, fig) for text, figs in GOLD for fig in figs]


def _label(value) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else value


def gold_accuracy() -> dict[str, tuple[int, int]]:
    """(right, labelled) per field over the labelled set; place/organization count labelled ones."""
    score = {f: [0, 0] for f in ["subject", "place", "organization", "place_or_organization", "period", "basis"]}
    for text, figs in GOLD:
        found = zz.extract_indicators(text).set_index("text")
        for fig in figs:
            row = found.loc[fig["text"]] if fig["text"] in found.index else None
            for field in ["subject", "place", "organization", "period", "basis"]:
                if field in ("place", "organization") and not fig[field]:
                    continue
                score[field][1] += 1
                score[field][0] += row is not None and _label(row[field]) == fig[field]
            if fig["place"] or fig["organization"]:
                score["place_or_organization"][1] += 1
                score["place_or_organization"][0] += row is not None and all(
                    _label(row[f]) == fig[f] for f in ("place", "organization")
                )
    return {f: (r, n) for f, (r, n) in score.items()}


def test_gold_set_is_large_enough():
    assert len(GOLD_FIGURES) >= 150
    assert sum(1 for _, figs in GOLD if not figs) >= 15


@pytest.mark.parametrize("passage, expected", GOLD, ids=[f"p{i + 1}" for i in range(len(GOLD))])
def test_gold_passage_gives_exactly_its_figures(passage, expected):
    found = zz.extract_indicators(passage)
    assert found["text"].tolist() == [f["text"] for f in expected]


@pytest.mark.parametrize("passage, fig", GOLD_FIGURES, ids=[f["text"] for _, f in GOLD_FIGURES])
def test_gold_figure_value_unit_kind(passage, fig):
    row = _find(passage, fig["text"])
    assert (row["value"], row["unit"], row["kind"]) == (fig["value"], fig["unit"], fig["kind"])
    assert passage[row["start"]:row["end"]] == fig["text"]


@pytest.mark.parametrize(
    "field, minimum",
    [("subject", 0.9), ("place_or_organization", 0.9), ("place", 0.9), ("organization", 0.9),
     ("period", 0.9), ("basis", 0.9)],
)
def test_gold_accuracy(field, minimum):
    right, total = gold_accuracy()[field]
    assert total > 0
    assert right / total >= minimum, f"{field}: {right}/{total}"


if __name__ == "__main__":
    # PYTHONPATH=. python tests/test_indicators.py → accuracy per field on the labelled set
    print(f"{len(GOLD_FIGURES)} figures in {len(GOLD)} passages")
    for name, (right, total) in gold_accuracy().items():
        print(f"{name:24s} {right:4d}/{total:<4d} {right / total:7.1%}")


# ---------------------------------------------------------------- forms added by issue 13
@pytest.mark.parametrize(
    "sentence, texts, values, units, kinds",
    [
        # a number glued to an upper-case acronym
        ("全市GDP1234.5亿元。", ["1234.5亿元"], [123_450_000_000.0], ["元"], ["money"]),
        ("CPI上涨2.1%，PPI下降0.5%。", ["上涨2.1%", "下降0.5%"], [2.1, -0.5], ["%", "%"], ["growth", "growth"]),
        # an elided unit shared by a list: both are 百分点, neither a count of 个
        ("两县增速分别高出全市0.5个、1.2个百分点。", ["0.5个", "1.2个百分点"], [0.5, 1.2], ["百分点", "百分点"],
         ["percent", "percent"]),
        ("各项增速分别比全省高0.8、1.5和2.1个百分点。", ["0.8", "1.5", "2.1个百分点"], [0.8, 1.5, 2.1],
         ["百分点"] * 3, ["percent"] * 3),
        # a list shares its change word and its sign
        ("两市出口分别下降3.1%、2.4%。", ["下降3.1%", "2.4%"], [-3.1, -2.4], ["%", "%"], ["growth", "growth"]),
        # rank bounds, not counts of people
        ("株洲高新区进入全国前30名。", ["前30名"], [30.0], ["位"], ["rank"]),
        ("上榜企业数量居全省前三。", ["前三"], [3.0], ["位"], ["rank"]),
        ("两家企业跻身全国前50强。", ["两家", "前50强"], [2.0, 50.0], ["家", "位"], ["count", "rank"]),
        # 位 counts people only before a person word
        ("理事单位增至3位。", ["3位"], [3.0], ["位"], ["count"]),
        ("现场有3位院士。", ["3位"], [3.0], ["人"], ["count"]),
        # a hedge before the magnitude
        ("带动就业30余万人。", ["30余万人"], [300_000.0], ["人"], ["count"]),
    ],
)
def test_issue_13_forms(sentence, texts, values, units, kinds):
    found = zz.extract_indicators(sentence)
    assert found["text"].tolist() == texts
    assert found["value"].tolist() == values
    assert found["unit"].tolist() == units
    assert found["kind"].tolist() == kinds


@pytest.mark.parametrize(
    "sentence",
    [
        "产值1e400亿元。",  # a lower-case letter glued to digits is no acronym
        "型号abc123台。",
        "前三季度经济运行总体平稳。",  # 前三 before 季度 is a period, not a rank bound
        "1、2号线同步推进。",
        "3、4月份完成主体施工。",
    ],
)
def test_issue_13_non_indicators(sentence):
    assert zz.extract_indicators(sentence).empty


def _owner(row, field):
    return None if pd.isna(row[field]) else row[field]


@pytest.mark.parametrize(
    "text, figure, place, organization",
    [
        # from the sentence's subject
        ("去年，衡阳市实现地区生产总值4089.7亿元，同比增长4.3%。", "增长4.3%", "衡阳", None),
        # 全市 in a Zhuzhou paper is 株洲; 全省 is the province
        ("全市城镇新增就业5.62万人。", "5.62万人", "株洲", None),
        ("今年上半年全省地区生产总值24340.9亿元。", "24340.9亿元", "全省", None),
        # one item of a 分别 list each
        ("长沙、株洲和湘潭GDP增速分别为5.1%、4.8%、4.6%。", "4.6%", "湘潭", None),
        # from the previous sentence when the subject is implicit
        ("去年，衡阳市经济稳中向好。全年实现地区生产总值4089.7亿元。", "4089.7亿元", "衡阳", None),
        # a yardstick is not the owner: 居全省, 低于全国、全省平均
        ("株洲人均GDP居全省第三。", "第三", "株洲", None),
        ("全市失业率为5.1%，低于全国、全省平均水平，3次获得表扬。", "3次", "株洲", None),
        # a company name, and 株洲 inside it is not the place
        ("株洲恒远精工有限公司实现营业收入12.6亿元。", "12.6亿元", None, "株洲恒远精工有限公司"),
        # the lexicon's short name for a name with 公司 added
        ("康宁公司投资超过90亿美元。", "超过90亿美元", None, "康宁"),
        # a body owns a figure in its own clause only
        ("市人社局今年发放创业担保贷款3.2亿元。", "3.2亿元", None, "市人社局"),
        ("市统计局数据显示，一季度全市规模工业增加值增长6.1%。", "增长6.1%", "株洲", None),
        # a place name must be whole words: 中国 in 其中国家 is no place
        ("目前，株洲拥有“小巨人”企业58家，其中国家重点“小巨人”企业25家。", "25家", "株洲", None),
        # a name before 等 is an example of what is counted, not its owner
        ("株洲恒远精工有限公司等六家企业达成合作意向。", "六家", None, None),
        ("攸县等3个县获评先进。", "3个", None, None),
        # 该公司 points back to the last company of the article
        ("湘江智造集团一季度营收8.2亿元。该集团计划投资3亿元。", "3亿元", None, "湘江智造集团"),
    ],
)
def test_place_and_organization(text, figure, place, organization):
    row = _find(text, figure)
    assert (_owner(row, "place"), _owner(row, "organization")) == (place, organization)


def test_anaphor_reaches_back_across_paragraphs_of_one_article_only():
    articles = pd.DataFrame({
        "article_id": ["A", "B"],
        "text": ["康宁公司在株洲设立物流分拨中心。\n迄今为止，该公司在中国地区投资超过90亿美元。",
                 "该公司员工6000余人。"],
    })
    found = zz.extract_indicators(articles)
    assert [_owner(r, "organization") for _, r in found.iterrows()] == ["康宁", None]
    assert [_owner(r, "place") for _, r in found.iterrows()] == ["全国", None]


def test_anaphor_after_a_paragraph_without_figures():
    text = "株洲恒远精工有限公司成立于2005年。\n该公司去年实现营业收入3亿元。"
    assert zz.extract_indicators(text)["organization"].tolist() == ["株洲恒远精工有限公司"]


def test_sample_page_places_and_organizations(sample_indicators):
    by_text = sample_indicators.drop_duplicates("text").set_index("text")
    assert by_text.loc["超过90亿美元", "organization"] == "康宁"
    assert by_text.loc["6000余人", "organization"] == "康宁"
    assert by_text.loc["469亿元", "place"] == "株洲"
    assert by_text.loc["超过6万人", "place"] == "株洲"
    assert by_text.loc["100多个", "organization"] == "中车株洲电机"
    assert sample_indicators["basis"].isna().all()  # the front page compares nothing with 同比


# ---------------------------------------------------------------- user rules
def test_user_rules_extend_the_shipped_ones(tmp_path):
    rules = tmp_path / "my_rules.toml"
    rules.write_text(
        '[places]\nextra = {"浏阳" = "浏阳"}\n'
        '[subject]\nterms = ["快递业务量"]\n'
        '[dates]\nmax_year = 2300\n',
        encoding="utf-8",
    )
    text = "浏阳快递业务量达2.1亿件。"
    shipped = zz.extract_indicators(text).iloc[0]
    mine = zz.extract_indicators(text, rules=rules).iloc[0]
    assert _owner(shipped, "place") is None
    assert (mine["place"], mine["subject"]) == ("浏阳", "快递业务量")
    # the year range comes from the rule file: 2250年 is a duration under the shipped range …
    assert zz.extract_indicators("规划期2250年。")["text"].tolist() == ["2250年"]
    # … and a year under the user's
    assert zz.extract_indicators("规划期2250年。", rules=str(rules)).empty
    # the shipped lists are kept: 全市 is still 株洲
    assert zz.extract_indicators("全市GDP增长5%。", rules=rules)["place"].tolist() == ["株洲"]


def test_user_rules_windows(tmp_path):
    rules = tmp_path / "short.toml"
    rules.write_text("[windows]\nperiod_lookback = 3\n", encoding="utf-8")
    text = "2022年，全市进出口总额14467.1亿元。"
    assert zz.extract_indicators(text)["period"].tolist() == ["2022年"]
    assert zz.extract_indicators(text, rules=rules)["period"].isna().all()


@pytest.mark.parametrize(
    "content, message",
    [
        ("[windows]\nperiod_lookback = \n", r"bad\.toml: invalid TOML: .*line 2"),
        ("[windows]\nperiod_lookback = [1]\n", r"bad\.toml\.windows\.period_lookback: expected a int"),
        ("[subject]\nterms = \"GDP\"\n", r"bad\.toml\.subject\.terms: expected a list"),
    ],
)
def test_user_rules_errors_name_the_file(tmp_path, content, message):
    rules = tmp_path / "bad.toml"
    rules.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        zz.extract_indicators("产值469亿元。", rules=rules)


def test_user_rules_missing_file(tmp_path):
    with pytest.raises(ValueError, match="cannot read indicator rules .*nope.toml"):
        zz.extract_indicators("产值469亿元。", rules=tmp_path / "nope.toml")


# ---------------------------------------------------------------- every input kind (spans.documents)
def test_corpus_and_issue_give_the_articles_figures(sample_issue, sample_indicators):
    pd.testing.assert_frame_equal(zz.extract_indicators(sample_issue), sample_indicators)


def test_stories_are_keyed_by_story_id():
    stories = pd.DataFrame({
        "story_id": ["S1"],
        "headline": ["康宁落户"],
        "pages": [[1, 2]],
        "text": ["康宁公司在株洲设立物流分拨中心。\n该公司在中国地区投资超过90亿美元。"],
    })
    found = zz.extract_indicators(stories)
    assert found.columns.tolist()[:2] == ["story_id", "para_no"]
    assert found.columns.tolist()[len(INDICATOR_COLUMNS):] == ["headline", "pages"]
    row = found.iloc[0]
    assert (row["story_id"], row["para_no"], row["text"], row["organization"]) == ("S1", 2, "超过90亿美元", "康宁")


def test_missing_columns_name_the_function():
    with pytest.raises(zz.ColumnError, match=r"extract_indicators\(\) needs column\(s\) \['text'\]"):
        zz.extract_indicators(pd.DataFrame({"article_id": ["A"]}))


# ---------------------------------------------------------------- tagging only the runs that need it
# Owners are read from the words of the runs (between punctuation) that hold a place name or an
# organisation suffix; those runs alone are tagged, and must give the words, offsets and tags that
# tagging the whole paragraph gives there.


def _near(text):
    return _ind._tokens_near(text, _ind._marks(text, _ind._rules()))


@pytest.mark.parametrize("text, starts, words", [
    # Only the run holding 全市 (and the full stops around it): 我们去了 is not tagged.
    ("我们去了。那是全市。", [4, 5, 6, 7, 9], ["。", "那", "是", "全市", "。"]),
    ("今天，株洲市统计局发布。", [2, 3, 6, 9, 11], ["，", "株洲市", "统计局", "发布", "。"]),
    # Runs close together are tagged in one call, with the space between them.
    ("长沙 银行与湘潭。", [0, 2, 3, 5, 6, 8], ["长沙", " ", "银行", "与", "湘潭", "。"]),
    # No place and no suffix: nothing to tag.
    ("天气很好，大家都来了。", [], []),
    ("", [], []),
])
def test_tokens_near_tags_the_runs_that_may_name_an_owner(text, starts, words):
    tokens = _near(text)
    assert (tokens.starts, list(tokens.words)) == (starts, words)
    assert tokens.ends == [s + len(w) for s, w in zip(starts, words)]


@pytest.mark.parametrize("text", [
    "株洲市统计局\r\n发布。",  # a line break: jieba keeps \r\n as one word
    "株洲𠀀公司。",  # a character outside the checked ranges
])
def test_tokens_near_tags_unchecked_paragraphs_whole(text):
    assert _near(text) == _ind._tokens(text)


@pytest.mark.parametrize("text, ends", [
    # 行 of 进行, 心 of 核心, 会 of 社会 end no suffix; 银行, 中心, 委员会 do.
    ("进行核心社会", []),
    ("株洲银行的研发中心和市委员会", [4, 9, 14]),
    # 有限公司 ends at the same place as 公司: one offset.
    ("恒远精工有限公司、市统计局", [8, 13]),
])
def test_suffix_ends_are_where_a_suffix_ends(text, ends):
    rules = _ind._rules()
    assert _ind._suffix_ends(text, rules.company_suffixes + rules.body_suffixes) == ends


def _within_whole(text):
    whole, near = _ind._tokens(text), _near(text)
    words = set(zip(whole.starts, whole.ends, whole.words, whole.tags))
    assert set(zip(near.starts, near.ends, near.words, near.tags)) <= words
    # Every word of a run holding a mark is there.
    marks = _ind._marks(text, _ind._rules())
    held = {s for a, b in marks.places for s in range(a, b)} | {e - 1 for e in marks.suffix_ends}
    cuts = [-1] + [m.start() for m in _ind._SEPARATOR_RE.finditer(text)] + [len(text)]
    for a, b in ((a + 1, b) for a, b in zip(cuts, cuts[1:]) if b > a + 1):
        if held & set(range(a, b)):
            assert {w for w in words if a <= w[0] < b} <= set(zip(near.starts, near.ends, near.words, near.tags))


def test_tokens_near_agree_with_the_whole_paragraph_on_the_sample_page(sample_paragraphs):
    checked = 0
    for text in sample_paragraphs["text"]:
        _within_whole(text)
        checked += bool(_near(text).words)
    assert checked >= 10  # the page names places and organisations in many paragraphs


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="株洲市中车集团有限公司银行研究所湖南省全市醴陵长沙工厂局委员会中心增长亿元家的了和、，。；“”（） abcXY019+#&._%-—·１％\u3000", max_size=60))
def test_tokens_near_agree_with_the_whole_paragraph(text):
    _within_whole(text)


@pytest.mark.parametrize("text, bounds, at", [
    # No white space: the sentences are the spans between the ends, untrimmed.
    ("规模达469亿元；风电增长12%。", [(0, 9), (9, 17)], {3: (0, 9), 12: (9, 17)}),
    ("株洲GDP增长5%", [(0, 9)], {0: (0, 9)}),
    ("增长5%。", [(0, 5)], {4: (0, 5)}),
    ("", [], {}),
    # White space around a sentence (a space, an ideographic space) is left out of it.
    (" 规模达469亿元； 风电增长12%。 ", [(1, 10), (11, 19)], {5: (1, 10), 12: (11, 19)}),
    ("规模达469亿元；\u3000风电增长12%。", [(0, 9), (10, 18)], {3: (0, 9), 11: (10, 18)}),
])
def test_sentences_with_and_without_white_space(text, bounds, at):
    from zzanalysis.spans import Sentences

    sentences = Sentences(text)
    assert sentences.bounds == bounds
    assert {pos: sentences.at(pos) for pos in at} == at


@pytest.mark.parametrize("digits, mag, value", [
    ("469", "亿", "46900000000"),
    ("1,500", "", "1500"),
    ("9 .57", "", "9.57"),
    ("1655.3", "万", "16553000.0"),
    ("30", "万", "300000"),
    # 20 digits, remembered; 24 digits, converted each time: both exact.
    ("12345678901234567890", "亿万", "12345678901234567890000000000000"),
    ("123456789012345678901234", "万", "1234567890123456789012340000"),
])
def test_arabic_value_short_and_long(digits, mag, value):
    import decimal

    with decimal.localcontext(_ind._DECIMAL):
        assert _ind._arabic_value(digits, mag) == decimal.Decimal(value)
        assert _ind._arabic_value(digits, mag) == decimal.Decimal(value)  # again, remembered


@pytest.mark.parametrize("row, start, end, text, value, unit", [
    # The same number token 12千 reads as 12 公里 before 米 (the shortest magnitude leaving a
    # unit) and as 12000 家 before 家, however often it came before in the call.
    (0, 2, 6, "12千米", 12.0, "公里"),
    (1, 9, 13, "12千米", 12.0, "公里"),
    (2, 16, 20, "12万元", 120_000.0, "元"),
    (3, 23, 27, "12千家", 12_000.0, "家"),
])
def test_a_number_token_read_again_with_what_follows_it(row, start, end, text, value, unit):
    found = zz.extract_indicators("修路12千米，又修12千米，投资12万元，另有12千家。")
    assert len(found) == 4
    assert found.loc[row, ["start", "end", "text", "value", "unit"]].tolist() == [start, end, text, value, unit]
