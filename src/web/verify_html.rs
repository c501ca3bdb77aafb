//! The public verification page as people read it (review V1–V4): the verdict first (a big
//! ✓ or ✗, colour and words), the bureau's name, then a short summary, with the detail tables
//! behind 查看明细. Privacy: the serial alone shows the verdict and nothing personal; a revoked
//! certificate shows only its status, date, reason and replacement. Times are the bureau's.
//! Every value is escaped; no inline style or script (the CSP admits none).

use crate::certificate::benefit::BenefitSection;
use crate::certificate::content::{yuan, Content, Section};
use crate::certificate::verify::{Verdict, Verification};
use crate::domain::bureau_time::format_zh;

/// What the page says about the office, whatever the certificate.
pub struct Context {
    pub office: String,
    pub public_base_url: String,
    pub help_desk: String,
}

fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn head(title: &str, context: &Context) -> String {
    format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"/ui/verify.css\"></head><body>\
         <header class=\"brand\"><p class=\"office\">{office}</p><p class=\"what\">社会保险证明核验</p></header><main>",
        title = esc(title),
        office = esc(&context.office),
    )
}

fn foot(context: &Context) -> String {
    format!(
        "</main><footer><p>请确认本页网址以 {base} 开头；其他网址显示的核验结果不可信。</p>\
         <p>核验有疑问，请到{desk}或出具单位咨询。</p>\
         <p><a href=\"/verify\">输入证明编号和查验码核验</a></p></footer></body></html>",
        base = esc(&context.public_base_url),
        desk = esc(&context.help_desk),
    )
}

/// (mark, class, headline, explanation)
fn verdict_words(v: &Verification) -> (&'static str, &'static str, String, String) {
    match &v.verdict {
        Verdict::Valid => (
            "✓",
            "ok",
            "证明有效".into(),
            "签名验证通过，内容与出具时一致。".into(),
        ),
        Verdict::InvalidSignature => (
            "✗",
            "bad",
            "验证失败".into(),
            "签名不符，证明或二维码可能被篡改。请勿采信。".into(),
        ),
        Verdict::UnknownSerial => (
            "✗",
            "bad",
            "查无此证明".into(),
            "没有这个证明编号，请核对编号是否输入正确。".into(),
        ),
        Verdict::Revoked { revoked_at, reason } => (
            "✗",
            "bad",
            "证明已撤销".into(),
            format!(
                "撤销时间：{}；原因：{}。此证明不再有效。",
                format_zh(*revoked_at),
                esc(reason)
            ),
        ),
        Verdict::Superseded { superseded_by } => (
            "!",
            "warn",
            "证明已被替代".into(),
            format!(
                "已重新出具为 <a href=\"/verify?serial={s}\">{s}</a>，请以新证明为准。",
                s = esc(superseded_by)
            ),
        ),
    }
}

pub fn page(v: &Verification, context: &Context) -> String {
    let (mark, class, headline, explanation) = verdict_words(v);
    let mut html = head(&format!("证明核验 {}", v.serial), context);
    html += &format!(
        "<section class=\"verdict {class}\" id=\"verdict\" data-status=\"{code}\">\
         <p class=\"mark\" aria-hidden=\"true\">{mark}</p><h1>{headline}</h1><p>{explanation}</p>\
         <p class=\"serial\">证明编号：{serial}</p></section>",
        code = v.verdict.code(),
        serial = esc(&v.serial),
    );
    // A revoked certificate may have gone to the wrong person: nothing of it stays visible.
    let revoked = matches!(v.verdict, Verdict::Revoked { .. });
    match (&v.content, revoked) {
        (Some(content), false) => {
            html += &summary(v, content);
            html += "<details id=\"details\"><summary>查看明细</summary>";
            for s in &content.sections {
                html += &contribution_table(s);
            }
            for s in &content.benefits {
                html += &benefit_table(s);
            }
            html += "</details>";
        }
        (None, false) if v.verdict != Verdict::UnknownSerial => {
            html += "<p class=\"hint\" id=\"no-details\">如需查看证明内容，请扫描证明上的二维码，\
                     或在下方输入证明上印的查验码。</p>";
            html += &code_form(&v.serial);
        }
        _ => {}
    }
    html + &foot(context)
}

/// The form for a serial and check code typed from the paper.
pub fn form(context: &Context) -> String {
    head("证明核验", context) + &code_form("") + &foot(context)
}

fn code_form(serial: &str) -> String {
    format!(
        "<form method=\"get\" action=\"/verify\" class=\"code-form\">\
         <label>证明编号<input name=\"serial\" value=\"{serial}\" autocomplete=\"off\" required \
         maxlength=\"17\" placeholder=\"如 20261202-7K3M9Q2X\"></label>\
         <label>查验码<input name=\"k\" autocomplete=\"off\" maxlength=\"12\" placeholder=\"如 AB12-CD34\"></label>\
         <button type=\"submit\">核验</button></form>",
        serial = esc(serial),
    )
}

fn period(content: &Content) -> String {
    match (&content.selection.from, &content.selection.to) {
        (None, None) => "全部期间".into(),
        (from, to) => format!(
            "{} 至 {}",
            esc(from.as_deref().unwrap_or("最早")),
            esc(to.as_deref().unwrap_or("最近"))
        ),
    }
}

fn summary(v: &Verification, c: &Content) -> String {
    let channel = match v.channel.as_deref() {
        Some("kiosk") => "自助终端",
        Some("window") => "服务窗口",
        _ => "系统",
    };
    let issued = v.issued_at.map(format_zh).unwrap_or_default();
    let id_tail: String = {
        let chars: Vec<char> = c.id_masked.chars().collect();
        chars[chars.len().saturating_sub(4)..].iter().collect()
    };
    let months: u32 = c.sections.iter().map(|s| s.months_paid).max().unwrap_or(0);
    let mut rows = vec![
        ("证明种类", esc(&c.title)),
        ("出具单位", esc(&c.office)),
        ("姓名", esc(&c.name)),
        ("证件号码后四位", esc(&id_tail)),
        ("出具时间", issued),
        ("出具渠道", channel.into()),
        ("证明期间", period(c)),
    ];
    if !c.sections.is_empty() {
        let insurances: Vec<String> = c.sections.iter().map(|s| esc(&s.name_zh)).collect();
        rows.push(("险种", insurances.join("、")));
        rows.push(("累计缴费（最长险种）", format!("{months} 个月")));
    }
    if !c.benefits.is_empty() {
        let kinds: Vec<String> = c.benefits.iter().map(|s| esc(&s.name_zh)).collect();
        rows.push(("待遇", kinds.join("、")));
    }
    let mut html = String::from("<section class=\"summary\" id=\"summary\"><h2>证明摘要</h2><dl>");
    for (k, val) in rows {
        html += &format!("<dt>{k}</dt><dd>{val}</dd>");
    }
    html + "</dl><p class=\"hint\">本页为出具时的内容；此后的缴费变化不在本证明中。</p></section>"
}

/// One insurance's table; on a phone each row becomes a block (verify.css).
fn contribution_table(s: &Section) -> String {
    let mut html = format!(
        "<h3>{}</h3><p>参保状态：{}　累计缴费 {} 个月　断缴 {} 个月{}</p><table><thead><tr><th>起止年月</th>\
         <th>月数</th><th>缴费单位</th><th>缴费基数</th><th>单位缴纳</th><th>个人缴纳</th><th>状态</th></tr></thead><tbody>",
        esc(&s.name_zh),
        esc(&s.status_zh),
        s.months_paid,
        s.gap_months,
        if s.arrears_months > 0 {
            format!("　欠缴 {} 个月", s.arrears_months)
        } else {
            String::new()
        }
    );
    for r in &s.rows {
        html += &format!(
            "<tr><td data-label=\"起止年月\">{} — {}</td><td data-label=\"月数\">{}</td>\
             <td data-label=\"缴费单位\">{}</td><td data-label=\"缴费基数\" class=\"num\">{}</td>\
             <td data-label=\"单位缴纳\" class=\"num\">{}</td><td data-label=\"个人缴纳\" class=\"num\">{}</td>\
             <td data-label=\"状态\">{}</td></tr>",
            esc(&r.from),
            esc(&r.to),
            r.months,
            esc(&r.employer),
            yuan(r.base_fen),
            yuan(r.employer_fen),
            yuan(r.personal_fen),
            esc(&r.status_zh)
        );
    }
    html + &format!(
        "</tbody><tfoot><tr><th colspan=\"4\">合计（实缴及补缴）</th><td class=\"num\">{}</td>\
         <td class=\"num\">{}</td><td></td></tr></tfoot></table>",
        yuan(s.total_employer_fen),
        yuan(s.total_personal_fen)
    )
}

/// One benefit kind of a benefit certificate (待遇领取证明), as printed.
fn benefit_table(s: &BenefitSection) -> String {
    let mut html = format!(
        "<h3>{}</h3><p>领取期间：{} 至 {}　累计领取 {} 个月</p><table><thead><tr><th>起止年月</th>\
         <th>月数</th><th>月发放金额</th><th>小计</th></tr></thead><tbody>",
        esc(&s.name_zh),
        esc(&s.first_month),
        esc(&s.last_month),
        s.months_paid
    );
    for r in &s.rows {
        html += &format!(
            "<tr><td data-label=\"起止年月\">{} — {}</td><td data-label=\"月数\">{}</td>\
             <td data-label=\"月发放金额\" class=\"num\">{}/月</td><td data-label=\"小计\" class=\"num\">{}</td></tr>",
            esc(&r.from),
            esc(&r.to),
            r.months,
            yuan(r.monthly_fen),
            yuan(r.total_fen)
        );
    }
    html + &format!(
        "</tbody><tfoot><tr><th colspan=\"3\">合计</th><td class=\"num\">{}</td></tr></tfoot></table>",
        yuan(s.total_fen)
    )
}
