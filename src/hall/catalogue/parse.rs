//! Checks a catalogue file whole. Every problem is named by its line and field, and any problem
//! refuses the file: a half-valid catalogue never reaches the store. The file is TOML with one
//! `[hall]` table and an `[[item]]` table per item (config/catalogue.toml is the example); lines
//! are found from those headers, as the TOML parser keeps no positions of values.

use super::{Channel, Hall, Item, Material, MaterialSource, PURPOSES};
use toml::{Table, Value};

/// One thing wrong with the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "第{}行 {}：{}", self.line, self.field, self.message)
    }
}

/// The file's problems, all of them (an operator fixes the file once, not once per problem).
#[derive(Debug, Clone, thiserror::Error)]
#[error("事项目录未载入，原版本继续有效：{}", .0.iter().map(Problem::to_string).collect::<Vec<_>>().join("；"))]
pub struct Refused(pub Vec<Problem>);

const ITEM_KEYS: [&str; 16] = [
    "code",
    "name_zh",
    "name_en",
    "type",
    "summary",
    "legal_basis",
    "conditions",
    "materials",
    "time_limit_days",
    "fee",
    "delivery",
    "channels",
    "prefix",
    "windows",
    "purpose",
    "note",
];

pub fn parse(text: &str, windows: &[String]) -> Result<(Hall, Vec<Item>), Refused> {
    let lines = Lines::new(text);
    let table: Table = text.parse().map_err(|e: toml::de::Error| {
        let line = e.span().map(|s| lines.line_at(s.start)).unwrap_or(1);
        Refused(vec![Problem {
            line,
            field: "(语法)".into(),
            message: format!("不是有效的 TOML：{}", e.message()),
        }])
    })?;
    let mut problems = Vec::new();
    for key in table.keys().filter(|k| *k != "hall" && *k != "item") {
        problems.push(Problem {
            line: lines.key_line(0..lines.count(), key),
            field: key.clone(),
            message: "未知字段（只允许 hall 与 item）".into(),
        });
    }
    let hall = match table.get("hall") {
        Some(Value::Table(t)) => {
            let range = lines.section("[hall]");
            let mut c = Check::new(t, &lines, range, "hall", &mut problems);
            Some(Hall {
                name: c.text("name"),
                address: c.text("address"),
                hours: c.text("hours"),
                consult: c.text("consult"),
                complaint: c.text("complaint"),
            })
        }
        _ => {
            problems.push(Problem {
                line: 1,
                field: "hall".into(),
                message: "缺少 [hall] 表（办事时间、地点、咨询与投诉渠道）".into(),
            });
            None
        }
    };
    let raw_items = match table.get("item") {
        Some(Value::Array(items)) if !items.is_empty() => items.as_slice(),
        _ => {
            problems.push(Problem {
                line: 1,
                field: "item".into(),
                message: "目录中没有事项（每个事项一个 [[item]] 表）".into(),
            });
            &[]
        }
    };
    let mut items: Vec<Item> = Vec::new();
    let mut first_line_of = std::collections::HashMap::new();
    for (n, raw) in raw_items.iter().enumerate() {
        let range = lines.item(n);
        let Value::Table(t) = raw else {
            problems.push(Problem {
                line: range.start + 1,
                field: format!("item[{}]", n + 1),
                message: "事项应为表".into(),
            });
            continue;
        };
        let item = item(t, &lines, range.clone(), windows, &mut problems);
        if let Some(item) = item {
            if let Some(first) = first_line_of.get(&item.code) {
                problems.push(Problem {
                    line: lines.key_line(range, "code"),
                    field: "code".into(),
                    message: format!("实施编码 {} 重复（第{first}行已有）", item.code),
                });
            } else {
                first_line_of.insert(item.code.clone(), lines.key_line(range, "code"));
                items.push(item);
            }
        }
    }
    match (hall, problems.is_empty()) {
        (Some(hall), true) => Ok((hall, items)),
        _ => Err(Refused(problems)),
    }
}

fn item(
    t: &Table,
    lines: &Lines,
    range: std::ops::Range<usize>,
    windows: &[String],
    problems: &mut Vec<Problem>,
) -> Option<Item> {
    let before = problems.len();
    let mut c = Check::new(t, lines, range.clone(), "", problems);
    for key in t.keys().filter(|k| !ITEM_KEYS.contains(&k.as_str())) {
        c.problem(key, "未知字段".into());
    }
    let code = c.text("code");
    let well_formed = (4..=40).contains(&code.len())
        && code
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '-');
    if !code.is_empty() && !well_formed {
        c.problem("code", "实施编码应为 4–40 位字母、数字或“-”".into());
    }
    let prefix = c.text("prefix");
    let letters = prefix.len() <= 2 && prefix.chars().all(|ch| ch.is_ascii_uppercase());
    if !prefix.is_empty() && !letters {
        c.problem("prefix", "取号字母应为 1–2 个大写字母".into());
    }
    let purpose = c.text("purpose");
    if !purpose.is_empty() && !PURPOSES.contains(&purpose.as_str()) {
        c.problem(
            "purpose",
            format!("查询事由 {purpose} 未知（可用：{}）", PURPOSES.join("、")),
        );
    }
    let channels: Vec<Channel> = c
        .list("channels")
        .into_iter()
        .filter_map(|name| match name.as_str() {
            "kiosk" => Some(Channel::Kiosk),
            "window" => Some(Channel::Window),
            "online" => Some(Channel::Online),
            other => {
                c.problem(
                    "channels",
                    format!("办理渠道 {other} 未知（可用：kiosk、window、online）"),
                );
                None
            }
        })
        .collect();
    if channels.is_empty() && t.contains_key("channels") {
        c.problem("channels", "事项至少要有一个办理渠道".into());
    }
    let item_windows = if t.contains_key("windows") || channels.contains(&Channel::Window) {
        c.list("windows")
    } else {
        Vec::new()
    };
    for w in &item_windows {
        if !windows.contains(w) {
            c.problem(
                "windows",
                format!(
                    "窗口 {w} 不是本厅的窗口（hall.windows：{}）",
                    windows.join("、")
                ),
            );
        }
    }
    if channels.contains(&Channel::Window) && item_windows.is_empty() && t.contains_key("windows") {
        c.problem("windows", "窗口办理的事项至少要有一个窗口".into());
    }
    let time_limit_days = c.whole("time_limit_days");
    let item = Item {
        code,
        name_zh: c.text("name_zh"),
        name_en: c.text("name_en"),
        kind: c.text("type"),
        summary: c.text("summary"),
        legal_basis: c.text("legal_basis"),
        conditions: c.text("conditions"),
        materials: Vec::new(),
        time_limit_days,
        fee: c.text("fee"),
        delivery: c.text("delivery"),
        channels,
        prefix,
        windows: item_windows,
        purpose,
    };
    let materials = materials(t, lines, range, problems);
    (problems.len() == before).then_some(Item { materials, ..item })
}

fn materials(
    t: &Table,
    lines: &Lines,
    range: std::ops::Range<usize>,
    problems: &mut Vec<Problem>,
) -> Vec<Material> {
    let Some(list) = t.get("materials") else {
        problems.push(Problem {
            line: range.start + 1,
            field: "materials".into(),
            message: "缺少必填字段（办理材料；无需材料时写 materials = []）".into(),
        });
        return Vec::new();
    };
    let Value::Array(list) = list else {
        problems.push(Problem {
            line: lines.key_line(range, "materials"),
            field: "materials".into(),
            message: "应为 [[item.materials]] 表的列表".into(),
        });
        return Vec::new();
    };
    let starts = lines.materials_in(range.clone());
    let mut out = Vec::new();
    for (n, m) in list.iter().enumerate() {
        let sub = starts
            .get(n)
            .map(|s| *s..starts.get(n + 1).copied().unwrap_or(range.end))
            .unwrap_or(range.clone());
        let Value::Table(m) = m else {
            problems.push(Problem {
                line: sub.start + 1,
                field: "materials".into(),
                message: "每项材料应为表（name、required、source）".into(),
            });
            continue;
        };
        let mut c = Check::new(m, lines, sub, "materials.", problems);
        let name = c.text("name");
        let required = c.flag("required");
        let source = match c.text("source").as_str() {
            "提供" => Some(MaterialSource::Provide),
            "数据共享免提交" => Some(MaterialSource::Shared),
            "告知承诺" => Some(MaterialSource::Promise),
            "" => None,
            other => {
                c.problem(
                    "source",
                    format!("来源渠道 {other} 未知（可用：提供、数据共享免提交、告知承诺）"),
                );
                None
            }
        };
        if let Some(source) = source {
            out.push(Material {
                name,
                required,
                source,
            });
        }
    }
    out
}

/// Typed reads of one table, each recording a problem at the field's line.
struct Check<'a> {
    table: &'a Table,
    lines: &'a Lines,
    range: std::ops::Range<usize>,
    prefix: &'static str,
    problems: &'a mut Vec<Problem>,
}

impl<'a> Check<'a> {
    fn new(
        table: &'a Table,
        lines: &'a Lines,
        range: std::ops::Range<usize>,
        prefix: &'static str,
        problems: &'a mut Vec<Problem>,
    ) -> Check<'a> {
        Check {
            table,
            lines,
            range,
            prefix,
            problems,
        }
    }

    fn problem(&mut self, field: &str, message: String) {
        let line = if self.table.contains_key(field) {
            self.lines.key_line(self.range.clone(), field)
        } else {
            self.range.start + 1
        };
        self.problems.push(Problem {
            line,
            field: format!("{}{field}", self.prefix),
            message,
        });
    }

    fn value(&mut self, field: &str) -> Option<&'a Value> {
        let v = self.table.get(field);
        if v.is_none() {
            self.problem(field, "缺少必填字段".into());
        }
        v
    }

    fn text(&mut self, field: &str) -> String {
        match self.value(field) {
            Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
            Some(Value::String(_)) => {
                self.problem(field, "不能为空".into());
                String::new()
            }
            Some(_) => {
                self.problem(field, "应为文字（加引号）".into());
                String::new()
            }
            None => String::new(),
        }
    }

    fn list(&mut self, field: &str) -> Vec<String> {
        match self.value(field) {
            Some(Value::Array(a)) => {
                let texts: Vec<String> = a
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect();
                if texts.len() != a.len() {
                    self.problem(field, "应为文字的列表，如 [\"1\", \"2\"]".into());
                }
                texts
            }
            Some(_) => {
                self.problem(field, "应为列表，如 [\"1\", \"2\"]".into());
                Vec::new()
            }
            None => Vec::new(),
        }
    }

    fn whole(&mut self, field: &str) -> u32 {
        match self.value(field) {
            Some(Value::Integer(n)) if (0..=365).contains(n) => *n as u32,
            Some(_) => {
                self.problem(field, "应为 0–365 的整数（0 = 即办）".into());
                0
            }
            None => 0,
        }
    }

    fn flag(&mut self, field: &str) -> bool {
        match self.value(field) {
            Some(Value::Boolean(b)) => *b,
            Some(_) => {
                self.problem(field, "应为 true 或 false".into());
                false
            }
            None => false,
        }
    }
}

/// The file's lines, and where its tables start (0-based line indexes).
struct Lines {
    text: Vec<String>,
    items: Vec<usize>,
    offsets: Vec<usize>,
}

impl Lines {
    fn new(source: &str) -> Lines {
        let mut offsets = Vec::new();
        let mut at = 0;
        let text: Vec<String> = source
            .split('\n')
            .map(|l| {
                offsets.push(at);
                at += l.len() + 1;
                l.trim().to_string()
            })
            .collect();
        let items = (0..text.len()).filter(|i| text[*i] == "[[item]]").collect();
        Lines {
            text,
            items,
            offsets,
        }
    }

    fn count(&self) -> usize {
        self.text.len()
    }

    /// 1-based line of byte `offset`.
    fn line_at(&self, offset: usize) -> usize {
        self.offsets.partition_point(|o| *o <= offset).max(1)
    }

    /// The lines of item `n` (from its header to the next item's).
    fn item(&self, n: usize) -> std::ops::Range<usize> {
        match self.items.get(n) {
            Some(start) => *start..self.items.get(n + 1).copied().unwrap_or(self.count()),
            None => 0..self.count(),
        }
    }

    fn section(&self, header: &str) -> std::ops::Range<usize> {
        let start = self.text.iter().position(|l| l == header).unwrap_or(0);
        let end = (start + 1..self.count())
            .find(|i| self.text[*i].starts_with('['))
            .unwrap_or(self.count());
        start..end
    }

    fn materials_in(&self, range: std::ops::Range<usize>) -> Vec<usize> {
        range
            .filter(|i| self.text[*i] == "[[item.materials]]")
            .collect()
    }

    /// 1-based line of `key = …` inside `range`, or of the range's first line.
    fn key_line(&self, range: std::ops::Range<usize>, key: &str) -> usize {
        let start = range.start;
        range
            .into_iter()
            .find(|i| {
                self.text[*i]
                    .strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with('='))
            })
            .unwrap_or(start)
            + 1
    }
}

#[cfg(test)]
mod tests;
