//! The published catalogue of service items (政务服务事项目录): what the hall does, with the
//! public elements of each item, the channels it is offered on, and how a ticket for it is
//! numbered and served. A file (config/catalogue.toml) is checked whole ([`parse`]) and stored as a
//! new version ([`store`]); the highest stored version is in force, and before any is loaded the
//! built-in file is.

pub mod parse;
pub mod store;

use serde::{Deserialize, Serialize};

/// The catalogue shipped in config/, in force until an admin loads one.
pub const BUILT_IN: &str = include_str!("../../../config/catalogue.toml");

/// Purposes a window lookup accepts (window::purpose::PurposeCode, by its JSON name).
pub const PURPOSES: [&str; 5] = [
    "citizen_request",
    "certificate",
    "card_service",
    "benefit_review",
    "other",
];

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Catalogue {
    /// The stored version in force; 0 = the built-in file (nothing loaded yet).
    pub version: i32,
    pub hall: Hall,
    pub items: Vec<Item>,
}

/// What every item of the hall shares: 办事时间, 办理机构及地点, 咨询查询途径, 监督投诉渠道.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Hall {
    pub name: String,
    pub address: String,
    pub hours: String,
    pub consult: String,
    pub complaint: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Item {
    /// 实施编码.
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// 事项类型 (公共服务, 行政确认, 行政给付…).
    pub kind: String,
    /// 事项简述.
    pub summary: String,
    /// 设定依据.
    pub legal_basis: String,
    /// 受理条件.
    pub conditions: String,
    pub materials: Vec<Material>,
    /// 承诺时限 in working days; 0 = 即办.
    pub time_limit_days: u32,
    /// 收费依据及标准.
    pub fee: String,
    /// 结果送达.
    pub delivery: String,
    pub channels: Vec<Channel>,
    /// The ticket number's letters (A012).
    pub prefix: String,
    /// The windows that serve it.
    pub windows: Vec<String>,
    /// The purpose of the clerk's lookup when its ticket is served (window::purpose).
    pub purpose: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Material {
    pub name: String,
    pub required: bool,
    pub source: MaterialSource,
}

/// 来源渠道 of a material: the citizen brings it, shared data replaces it, or a written promise
/// does (告知承诺, 人社厅发〔2020〕110号).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub enum MaterialSource {
    #[serde(rename = "提供")]
    Provide,
    #[serde(rename = "数据共享免提交")]
    Shared,
    #[serde(rename = "告知承诺")]
    Promise,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Kiosk,
    Window,
    Online,
}

impl Catalogue {
    pub fn item(&self, code: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.code == code)
    }

    /// The items whose tickets `window` calls.
    pub fn served_at<'a>(&'a self, window: &'a str) -> impl Iterator<Item = &'a Item> + 'a {
        self.items
            .iter()
            .filter(move |i| i.windows.iter().any(|w| w == window))
    }
}

impl Item {
    pub fn offers(&self, channel: Channel) -> bool {
        self.channels.contains(&channel)
    }

    /// 即办, or the promised working days.
    pub fn time_limit_zh(&self) -> String {
        match self.time_limit_days {
            0 => "即办".into(),
            n => format!("{n}个工作日"),
        }
    }
}
