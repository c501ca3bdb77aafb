//! The demo's employers: five per district of each city, one of them a public institution
//! (机关事业单位) whose staff are in the institution pension scheme with an occupational annuity.

use super::places::{Kind, DISTRICTS};

pub(super) struct Employer {
    pub code: &'static str,
    pub name: &'static str,
    /// Index into [`DISTRICTS`]; also the region of the enrolments.
    pub district: usize,
    pub public: bool,
}

impl Employer {
    pub fn region_code(&self) -> &'static str {
        DISTRICTS[self.district].code
    }

    pub fn city(&self) -> usize {
        match DISTRICTS[self.district].kind {
            Kind::Urban { city } => city,
            Kind::County { .. } => unreachable!("every employer is in a city district"),
        }
    }
}

const fn firm(code: &'static str, name: &'static str, district: usize) -> Employer {
    Employer {
        code,
        name,
        district,
        public: false,
    }
}

const fn institution(code: &'static str, name: &'static str, district: usize) -> Employer {
    Employer {
        code,
        name,
        district,
        public: true,
    }
}

pub(super) static EMPLOYERS: [Employer; 50] = [
    firm("E000123", "北京华信恒通科技有限公司", 0),
    firm("E000137", "北京朝阳鼎盛商贸有限公司", 0),
    firm("E000152", "北京京华通达物流有限公司", 0),
    firm("E000168", "北京远航建筑工程有限公司", 0),
    institution("E000171", "北京市朝阳区社区卫生服务中心", 0),
    firm("E000186", "北京中科智联软件有限公司", 1),
    firm("E000194", "北京海星数据技术有限公司", 1),
    firm("E000203", "北京博远教育科技有限公司", 1),
    firm("E000219", "北京西山餐饮管理有限公司", 1),
    institution("E000225", "北京市海淀区图书馆", 1),
    firm("E000231", "上海浦江国际贸易有限公司", 2),
    firm("E000248", "上海陆家嘴金融信息服务有限公司", 2),
    firm("E000256", "上海张江生物医药科技有限公司", 2),
    firm("E000262", "上海申浦港口物流有限公司", 2),
    institution("E000279", "上海市浦东新区社区卫生服务中心", 2),
    firm("E000285", "上海汇智软件有限公司", 3),
    firm("E000293", "上海衡山餐饮管理有限公司", 3),
    firm("E000304", "上海漕河泾电子科技有限公司", 3),
    firm("E000316", "上海华亭建设工程有限公司", 3),
    institution("E000327", "上海市徐汇区文化馆", 3),
    firm("E000331", "深圳前海云链科技有限公司", 4),
    firm("E000348", "深圳南山智能制造有限公司", 4),
    firm("E000352", "深圳蛇口港航服务有限公司", 4),
    firm("E000367", "深圳科信生物技术有限公司", 4),
    institution("E000374", "深圳市南山区实验学校", 4),
    firm("E000389", "深圳福田金融服务有限公司", 5),
    firm("E000395", "深圳华盛电子商贸有限公司", 5),
    firm("E000406", "深圳鹏城物业管理有限公司", 5),
    firm("E000411", "深圳红荔餐饮有限公司", 5),
    institution("E000428", "深圳市福田区社区健康服务中心", 5),
    firm("E000433", "杭州西溪网络科技有限公司", 6),
    firm("E000447", "杭州之江文化传媒有限公司", 6),
    firm("E000452", "杭州龙井茶业有限公司", 6),
    firm("E000468", "杭州文三电子有限公司", 6),
    institution("E000475", "杭州市西湖区文化馆", 6),
    firm("E000481", "杭州滨江智慧物联有限公司", 7),
    firm("E000496", "杭州钱塘电子商务有限公司", 7),
    firm("E000502", "杭州江南电气设备有限公司", 7),
    firm("E000517", "杭州长河汽车服务有限公司", 7),
    institution("E000523", "杭州市滨江区实验小学", 7),
    firm("E000538", "成都武侯云图科技有限公司", 8),
    firm("E000544", "成都锦城建筑工程有限公司", 8),
    firm("E000559", "成都蜀味餐饮管理有限公司", 8),
    firm("E000561", "成都西部通达物流有限公司", 8),
    institution("E000576", "成都市武侯区社区卫生服务中心", 8),
    firm("E000582", "成都春熙商贸有限公司", 9),
    firm("E000597", "成都锦官城酒店管理有限公司", 9),
    firm("E000603", "成都红星文化传媒有限公司", 9),
    firm("E000618", "成都东大街金融服务有限公司", 9),
    institution("E000624", "成都市锦江区图书馆", 9),
];

/// The showcase citizen's two employers.
pub(super) const SHOWCASE_FIRST: usize = 0;
pub(super) const SHOWCASE_SECOND: usize = 5;
