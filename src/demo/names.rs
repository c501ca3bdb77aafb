//! Chinese personal names. Given names follow the fashions of the decade of birth, so a
//! pensioner is a 秀英 or a 建国 and a young worker a 子轩 or a 欣怡.

use crate::domain::Gender;
use rand::Rng;

/// The most common surnames, most frequent first (picks favour the front of the list).
const SURNAMES: [&str; 100] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏",
    "韦", "付", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛", "闫", "段", "雷", "侯",
    "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万", "钱", "严", "覃", "武", "戴",
    "莫", "孔", "向", "汤",
];

const COMPOUND_SURNAMES: [&str; 4] = ["欧阳", "司马", "上官", "诸葛"];

const MALE_BEFORE_1960: &[&str] = &[
    "建国", "建华", "国庆", "国强", "卫国", "卫东", "志刚", "志强", "德明", "福生", "永福", "长江",
    "树林", "振华", "宝山", "玉林", "保国", "金海", "洪亮", "春生", "忠", "贵", "海", "林",
];
const FEMALE_BEFORE_1960: &[&str] = &[
    "秀英", "桂英", "秀兰", "玉兰", "桂兰", "淑珍", "凤英", "玉珍", "秀珍", "淑华", "翠花", "桂芳",
    "玉梅", "素芬", "美兰", "金凤", "秀荣", "淑芬", "兰", "英", "珍",
];
const MALE_1960S_1970S: &[&str] = &[
    "建军", "志勇", "海涛", "建平", "卫华", "红军", "立新", "晓东", "国华", "建伟", "永强", "志军",
    "军", "勇", "刚", "斌", "明", "辉", "强", "波", "平", "涛",
];
const FEMALE_1960S_1970S: &[&str] = &[
    "红梅", "丽华", "晓红", "春燕", "海燕", "红霞", "秀梅", "丽萍", "晓燕", "丽娟", "艳红", "美玲",
    "丽", "艳", "敏", "静", "燕", "霞", "芳", "红",
];
const MALE_1980S_1990S: &[&str] = &[
    "俊杰", "志伟", "文博", "家豪", "晓峰", "鹏飞", "建新", "宇航", "浩", "磊", "鹏", "超", "杰",
    "鑫", "宇", "伟", "帅", "亮", "凯", "健", "俊", "飞",
];
const FEMALE_1980S_1990S: &[&str] = &[
    "婷婷", "晓丽", "雨婷", "丽娜", "晓雪", "文静", "佳慧", "雪梅", "思思", "倩倩", "婷", "丹",
    "娜", "倩", "雪", "琳", "悦", "欣", "洁", "颖",
];
const MALE_SINCE_2000: &[&str] = &[
    "子轩", "浩然", "宇轩", "梓豪", "俊熙", "皓轩", "一鸣", "子墨", "浩宇", "博文", "天佑", "思远",
    "宇辰", "铭轩", "睿", "轩", "航", "哲",
];
const FEMALE_SINCE_2000: &[&str] = &[
    "欣怡", "梓涵", "诗涵", "雨涵", "子涵", "可馨", "一诺", "思琪", "梦琪", "佳琪", "语桐", "紫萱",
    "若曦", "雨桐", "涵", "萱", "琪",
];

/// Picks from `list` with a linearly falling weight, so the first entries are the commonest.
fn front_heavy<'a, R: Rng>(rng: &mut R, list: &[&'a str]) -> &'a str {
    let a = rng.gen_range(0..list.len());
    let b = rng.gen_range(0..list.len());
    list[a.min(b)]
}

pub(super) fn full_name<R: Rng>(rng: &mut R, gender: Gender, birth_year: i32) -> String {
    let surname = if rng.gen_bool(0.004) {
        COMPOUND_SURNAMES[rng.gen_range(0..COMPOUND_SURNAMES.len())]
    } else {
        front_heavy(rng, &SURNAMES)
    };
    let pool = match (gender, birth_year) {
        (Gender::Male, ..=1959) => MALE_BEFORE_1960,
        (Gender::Female, ..=1959) => FEMALE_BEFORE_1960,
        (Gender::Male, 1960..=1979) => MALE_1960S_1970S,
        (Gender::Female, 1960..=1979) => FEMALE_1960S_1970S,
        (Gender::Male, 1980..=1999) => MALE_1980S_1990S,
        (Gender::Female, 1980..=1999) => FEMALE_1980S_1990S,
        (Gender::Male, _) => MALE_SINCE_2000,
        (Gender::Female, _) => FEMALE_SINCE_2000,
    };
    let given = pool[rng.gen_range(0..pool.len())];
    format!("{surname}{given}")
}

/// GB 3304 nationality code: 汉 most of the time, else one of the larger minorities.
pub(super) fn ethnicity<R: Rng>(rng: &mut R) -> &'static str {
    const MINORITIES: [&str; 9] = ["02", "03", "04", "05", "06", "08", "09", "11", "15"];
    if rng.gen_bool(0.91) {
        "01"
    } else {
        MINORITIES[rng.gen_range(0..MINORITIES.len())]
    }
}
