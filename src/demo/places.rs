//! The cities the demo's employers are in, and the districts and counties its people come from.
//! Region codes are real GB/T 2260 codes so that ID numbers and card ID codes look like the ones
//! a bureau actually sees.

pub(super) enum Kind {
    /// A city district, in city number `city` (see [`CITY_COUNT`]).
    Urban { city: usize },
    /// A rural county, whose migrant workers go to one of `destinations` (city numbers).
    County { destinations: &'static [usize] },
}

pub(super) struct District {
    pub code: &'static str,
    /// Province and city part of an address, e.g. "广东省深圳市".
    pub prefix: &'static str,
    pub name: &'static str,
    /// Streets of a district, towns of a county.
    pub places: &'static [&'static str],
    /// First character of the card numbers the local card centre issues.
    pub card_letter: char,
    pub resident: ResidentScheme,
    pub kind: Kind,
}

/// The resident pension scheme as the place runs it.
pub(super) struct ResidentScheme {
    /// Month the scheme reached the place: the 2009 rural (新农保) and 2011 urban (城居保) pilots.
    pub pilot: (i32, u32),
    /// Local top-up of the basic pension over the national minimum, yuan per month.
    pub top_up: i64,
}

/// Cities with demo employers, by index: 北京, 上海, 深圳, 杭州, 成都.
pub(super) const CITY_COUNT: usize = 5;
pub(super) const BEIJING: usize = 0;
const SHANGHAI: usize = 1;
const SHENZHEN: usize = 2;
const HANGZHOU: usize = 3;
pub(super) const CHENGDU: usize = 4;

/// Each city's average wage compared with the national one, in per mille.
pub(super) const CITY_WAGE_PM: [i64; CITY_COUNT] = [1250, 1250, 1100, 1050, 850];

const fn urban(
    code: &'static str,
    prefix: &'static str,
    name: &'static str,
    card_letter: char,
    city: usize,
    resident_top_up: i64,
    places: &'static [&'static str],
) -> District {
    District {
        code,
        prefix,
        name,
        places,
        card_letter,
        resident: ResidentScheme {
            pilot: (2011, 7),
            top_up: resident_top_up,
        },
        kind: Kind::Urban { city },
    }
}

const fn county(
    code: &'static str,
    prefix: &'static str,
    name: &'static str,
    card_letter: char,
    places: &'static [&'static str],
    destinations: &'static [usize],
    resident: ResidentScheme,
) -> District {
    District {
        code,
        prefix,
        name,
        places,
        card_letter,
        resident,
        kind: Kind::County { destinations },
    }
}

#[rustfmt::skip]
pub(super) static DISTRICTS: [District; 16] = [
    urban("110105", "北京市", "朝阳区", 'B', BEIJING, 700, &["建国路", "朝阳北路", "望京街", "酒仙桥路", "东三环中路", "安立路"]),
    urban("110108", "北京市", "海淀区", 'B', BEIJING, 700, &["中关村大街", "学院路", "知春路", "西三环北路", "上地十街", "万泉河路"]),
    urban("310115", "上海市", "浦东新区", 'S', SHANGHAI, 1200, &["张杨路", "世纪大道", "杨高南路", "锦绣路", "川沙路", "浦东南路"]),
    urban("310104", "上海市", "徐汇区", 'S', SHANGHAI, 1200, &["漕溪北路", "肇嘉浜路", "宜山路", "龙华中路", "田林路"]),
    urban("440305", "广东省深圳市", "南山区", 'Z', SHENZHEN, 600, &["深南大道", "南海大道", "科技园路", "桃园路", "前海路"]),
    urban("440304", "广东省深圳市", "福田区", 'Z', SHENZHEN, 600, &["福华路", "彩田路", "红荔路", "新洲路", "益田路"]),
    urban("330106", "浙江省杭州市", "西湖区", 'H', HANGZHOU, 300, &["文三路", "天目山路", "古墩路", "文一西路", "教工路"]),
    urban("330108", "浙江省杭州市", "滨江区", 'H', HANGZHOU, 300, &["江南大道", "滨盛路", "长河路", "江陵路", "网商路"]),
    urban("510107", "四川省成都市", "武侯区", 'C', CHENGDU, 150, &["人民南路", "科华北路", "玉林路", "武侯祠大街", "天府大道北段"]),
    urban("510104", "四川省成都市", "锦江区", 'C', CHENGDU, 150, &["春熙路", "东大街", "红星路", "静安路", "三圣街"]),
    county("510121", "四川省成都市", "金堂县", 'C', &["赵镇", "淮口镇", "白果镇", "五凤镇"], &[CHENGDU, SHENZHEN], ResidentScheme { pilot: (2009, 10), top_up: 100 }),
    county("411421", "河南省商丘市", "民权县", 'N', &["城关镇", "人和镇", "龙塘镇", "北关镇"], &[BEIJING, SHANGHAI, HANGZHOU], ResidentScheme { pilot: (2010, 7), top_up: 15 }),
    county("430524", "湖南省邵阳市", "隆回县", 'D', &["桃洪镇", "六都寨镇", "高平镇", "金石桥镇"], &[SHENZHEN, HANGZHOU], ResidentScheme { pilot: (2010, 1), top_up: 20 }),
    county("341221", "安徽省阜阳市", "临泉县", 'A', &["韦寨镇", "迎仙镇", "杨桥镇", "姜寨镇"], &[SHANGHAI, HANGZHOU], ResidentScheme { pilot: (2009, 12), top_up: 10 }),
    county("360722", "江西省赣州市", "信丰县", 'J', &["嘉定镇", "大塘埠镇", "古陂镇", "大阿镇"], &[SHENZHEN, SHANGHAI], ResidentScheme { pilot: (2010, 1), top_up: 15 }),
    // Birthplace of the showcase citizen only; no generated ID uses it, so it cannot collide.
    urban("110101", "北京市", "东城区", 'B', BEIJING, 700, &["东长安街", "王府井大街"]),
];

/// Index into [`DISTRICTS`] of the showcase citizen's birthplace.
pub(super) const SHOWCASE_BIRTHPLACE: usize = 15;

/// Districts and counties that generated ID numbers are issued in; the ID scheme of
/// `identity.rs` depends on this list, so changing it changes every generated ID.
pub(super) const ORIGINS: [usize; 10] = [0, 2, 4, 6, 8, 10, 11, 12, 13, 14];

pub(super) const VILLAGES: [&str; 12] = [
    "王庄村",
    "李楼村",
    "河口村",
    "桥头村",
    "张营村",
    "石桥村",
    "东湖村",
    "新民村",
    "柳林村",
    "胜利村",
    "前进村",
    "红星村",
];
