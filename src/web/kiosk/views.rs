//! What the kiosk API answers: the citizen's own data shaped for the screen. Amounts are yuan
//! strings and months `YYYY-MM` (as everywhere in the API); the ID number only ever masked.

use crate::domain::contribution_problems::ContributionProblem;
use crate::domain::record::{InsuranceSummary, UnifiedRecord};
use crate::domain::{BenefitKind, Fen};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct CardView {
    pub card_no: String,
    /// active, temp_lost, lost, cancelled.
    pub status: String,
    pub status_zh: String,
    pub expires_on: String,
}

#[derive(Serialize, ToSchema)]
pub struct GapView {
    pub from: String,
    pub to: String,
    pub months: u32,
}

/// One gap or arrears, told once for every insurance it concerns (issue 11).
#[derive(Serialize, ToSchema)]
pub struct ProblemView {
    /// gap (断缴: no contribution at all) or arrears (欠缴: due, the employer has not paid).
    pub kind: String,
    pub from: String,
    pub to: String,
    pub months: u32,
    pub insurances_zh: Vec<String>,
    /// Unpaid parts of arrears, yuan.
    pub personal_owed: String,
    pub employer_owed: String,
    /// ask_about_back_pay, contact_employer or none (pensioners, gaps explained by unemployment).
    pub advice: String,
    pub wording_zh: String,
}

/// What a pensioner asks first: was it paid, how much, is this year's 资格认证 done.
#[derive(Serialize, ToSchema)]
pub struct PensionView {
    pub latest_month: String,
    pub latest_amount: String,
    pub latest_paid_on: Option<String>,
    /// The year of the latest payment and what was paid in it.
    pub year: i32,
    pub year_total: String,
    /// 领取待遇资格认证 of the current year: when it was done, or `None` when not yet.
    pub certified_on: Option<String>,
    pub certification_year: i32,
    pub wording_zh: String,
}

#[derive(Serialize, ToSchema)]
pub struct InsuranceView {
    pub insurance: String,
    pub name_zh: String,
    pub status: Option<String>,
    pub status_zh: Option<String>,
    pub employer_name: Option<String>,
    pub months_paid: u32,
    pub first_paid_month: Option<String>,
    pub last_paid_month: Option<String>,
    /// Months without contribution inside the paid span (断缴).
    pub gap_months: u32,
    pub gaps: Vec<GapView>,
    pub arrears_months: u32,
    pub total_personal: String,
    /// Years with any contribution row, for the detail's year choice.
    pub years: Vec<i32>,
}

#[derive(Serialize, ToSchema)]
pub struct BenefitView {
    pub benefit: String,
    pub name_zh: String,
    pub first_month: String,
    pub last_month: String,
    pub months: u32,
    pub total: String,
    pub last_amount: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Overview {
    pub name: String,
    pub ssn_masked: String,
    pub card: Option<CardView>,
    pub insurances: Vec<InsuranceView>,
    pub benefits: Vec<BenefitView>,
    /// The latest import of the subsystems that hold this record (how fresh it is).
    pub updated_at: Option<String>,
    /// What only the unified record can tell, in the citizen's words (issue 12): the
    /// unemployment benefit due, the retirement age and minimum contribution. Empty when the
    /// record cannot say (never a wrong number).
    pub outlook_zh: Vec<String>,
    /// Gaps and arrears, one line each (never one problem counted twice).
    pub problems: Vec<ProblemView>,
    /// For a pensioner, the pension first; `None` for anyone else.
    pub pension: Option<PensionView>,
}

#[derive(Serialize, ToSchema)]
pub struct Payment {
    pub month: String,
    pub amount: String,
    pub paid_on: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct BenefitList {
    pub benefit: String,
    pub name_zh: String,
    pub payments: Vec<Payment>,
}

#[derive(Serialize, ToSchema)]
pub struct MonthCell {
    /// 1–12.
    pub month: u32,
    /// paid, back_paid, arrears, gap (no contribution inside the insured span: 断缴),
    /// pending (after the last posted month of an open enrolment: 待入账), not_due (this month
    /// or later: 未到缴费期), or none (not insured that month).
    pub status: String,
    pub base: Option<String>,
    pub personal: Option<String>,
    pub employer: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct YearGrid {
    pub insurance: String,
    pub name_zh: String,
    pub year: i32,
    pub years: Vec<i32>,
    pub months: Vec<MonthCell>,
    /// Personal contributions paid or back-paid in the year (arrears excluded).
    pub total_personal: String,
    /// The years with a gap or arrears, for the year strip's marks.
    pub years_with_gaps: Vec<i32>,
    pub years_with_arrears: Vec<i32>,
}

#[derive(Serialize, ToSchema)]
pub struct EmploymentView {
    pub kind: String,
    pub kind_zh: String,
    pub employer_name: String,
    pub registered_on: String,
    pub ended_on: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct EmploymentList {
    pub registrations: Vec<EmploymentView>,
}

#[derive(Serialize, ToSchema)]
pub struct AccessEntry {
    /// UTC, `YYYY-MM-DDTHH:MM:SS` (of the newest look, for a grouped visit).
    pub at: String,
    /// The same time in the bureau's zone, as people read it ("2026年12月2日 10:03").
    pub at_local: String,
    /// staff, kiosk, system or public.
    pub who_kind: String,
    /// Who, in words (a staff member's name and window, or this kiosk).
    pub who: String,
    pub action: String,
    pub action_zh: String,
    pub purpose: Option<String>,
    /// The purpose in words ("开具证明：单位要求").
    pub purpose_zh: Option<String>,
    /// Looks folded into this line: the citizen's own kiosk views of one visit are one line.
    pub count: u32,
}

#[derive(Serialize, ToSchema)]
pub struct AccessLog {
    pub entries: Vec<AccessEntry>,
}

#[derive(Serialize, ToSchema)]
pub struct Choice {
    pub code: String,
    pub name_zh: String,
}

#[derive(Serialize, ToSchema)]
pub struct CertificateOptions {
    /// Insurances with contributions on record (contribution certificate, 参保缴费证明).
    pub insurances: Vec<Choice>,
    /// Benefits received (benefit certificate, 待遇领取证明).
    pub benefits: Vec<Choice>,
    /// Certificates one citizen may print per month (0 = no limit).
    pub monthly_limit: u32,
    /// Ready-made choices in big buttons (最近12个月·全部险种, 全部期间, 仅养老保险, 待遇领取).
    pub presets: Vec<Preset>,
    /// Prints left this month (`None` = no limit): said before anything is generated.
    pub remaining: Option<u32>,
    /// Whether this kiosk may print at all: a seal image is configured, or the bureau states
    /// its certificates are valid without a stamp.
    pub may_print: bool,
}

/// One preset: the request it sends and how it reads.
#[derive(Serialize, ToSchema)]
pub struct Preset {
    pub code: String,
    pub label_zh: String,
    pub kind: String,
    pub items: Vec<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueRequest {
    /// `contribution` or `benefit`.
    pub kind: String,
    /// Insurance codes (contribution) or benefit codes (benefit); empty = all on record.
    #[serde(default)]
    pub items: Vec<String>,
    /// First month, `YYYY-MM`; open when absent.
    pub from: Option<String>,
    /// Last month, `YYYY-MM`; open when absent.
    pub to: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct IssuedView {
    pub serial: String,
    pub kind: String,
    pub pages: usize,
    /// What will print, in plain words: kind, pages, period, insurances.
    pub summary_zh: String,
}

fn insurance(s: &InsuranceSummary, status_zh: Option<&str>, years: Vec<i32>) -> InsuranceView {
    InsuranceView {
        insurance: s.insurance.code().into(),
        name_zh: s.name_zh.into(),
        status: s.status.map(|x| x.code().into()),
        status_zh: status_zh.map(Into::into),
        employer_name: s.employer_name.clone(),
        months_paid: s.months_paid,
        first_paid_month: s.first_paid_month.map(|m| m.to_string()),
        last_paid_month: s.last_paid_month.map(|m| m.to_string()),
        gap_months: s.gap_months,
        gaps: s
            .gaps
            .iter()
            .map(|g| GapView {
                from: g.from.to_string(),
                to: g.to.to_string(),
                months: g.months,
            })
            .collect(),
        arrears_months: s.arrears_months,
        total_personal: s.total_personal.to_string(),
        years,
    }
}

impl Overview {
    /// `years_of` gives the years with contributions of an insurance.
    pub fn of(
        record: &UnifiedRecord,
        card_no: &str,
        years_of: impl Fn(crate::domain::Insurance) -> Vec<i32>,
    ) -> Overview {
        let card = record
            .cards
            .iter()
            .find(|c| c.card_no == card_no)
            .map(|c| CardView {
                card_no: c.card_no.clone(),
                status: c.status.code().into(),
                status_zh: c.status.name_zh().into(),
                expires_on: c.expires_on.to_string(),
            });
        Overview {
            name: record.person.name.clone(),
            ssn_masked: record.person.ssn.masked(),
            card,
            insurances: record
                .insurances
                .iter()
                .map(|s| insurance(s, record.status_zh(s), years_of(s.insurance)))
                .collect(),
            benefits: record
                .benefits
                .iter()
                .map(|b| BenefitView {
                    benefit: b.benefit.code().into(),
                    name_zh: b.name_zh.into(),
                    first_month: b.first_month.to_string(),
                    last_month: b.last_month.to_string(),
                    months: b.months,
                    total: b.total.to_string(),
                    last_amount: b.payments.last().map(|p| p.amount.to_string()),
                })
                .collect(),
            updated_at: record
                .sources
                .iter()
                .map(|s| s.latest_import)
                .max()
                .map(|t| t.format("%Y-%m-%d").to_string()),
            outlook_zh: outlook(record),
            problems: record.problems.iter().map(problem).collect(),
            pension: None,
        }
    }
}

fn problem(p: &ContributionProblem) -> ProblemView {
    ProblemView {
        kind: p.kind.code().into(),
        from: p.from.to_string(),
        to: p.to.to_string(),
        months: p.months,
        insurances_zh: p.insurances.iter().map(|i| i.name_zh().into()).collect(),
        personal_owed: p.personal_owed.to_string(),
        employer_owed: p.employer_owed.to_string(),
        advice: p.advice.code().into(),
        wording_zh: p.wording_zh.clone(),
    }
}

impl PensionView {
    /// The pension box of a pensioner, `certified_on` being this year's 资格认证 date if done.
    pub fn of(
        record: &UnifiedRecord,
        this_year: i32,
        certified_on: Option<NaiveDate>,
    ) -> Option<PensionView> {
        if !record.is_pensioner() {
            return None;
        }
        let pension = record
            .benefits
            .iter()
            .find(|b| b.benefit == BenefitKind::BasicPension)?;
        let latest = pension.payments.last()?;
        let year = latest.period.year();
        let year_total: Fen = pension
            .payments
            .iter()
            .filter(|p| p.period.year() == year)
            .map(|p| p.amount)
            .sum();
        let paid = latest
            .paid_on
            .map(|d| format!("（{}月{}日已发放）", d.month(), d.day()))
            .unwrap_or_default();
        let certified = match certified_on {
            Some(d) => format!(
                "{this_year}年度领取待遇资格认证：已认证（{}年{}月{}日）",
                d.year(),
                d.month(),
                d.day()
            ),
            None => {
                format!("{this_year}年度领取待遇资格认证：尚未认证，请到窗口或通过人脸识别认证")
            }
        };
        Some(PensionView {
            latest_month: latest.period.to_string(),
            latest_amount: latest.amount.to_string(),
            latest_paid_on: latest.paid_on.map(|d| d.to_string()),
            year,
            year_total: year_total.to_string(),
            certified_on: certified_on.map(|d| d.to_string()),
            certification_year: this_year,
            wording_zh: format!(
                "您正在领取基本养老金：{}年{}月 {} 元{paid}；{year}年共领取 {year_total} 元。{certified}",
                latest.period.year(),
                latest.period.month(),
                latest.amount
            ),
        })
    }
}

/// The entitlement's and the projection's sentences, when the record can compute them.
fn outlook(record: &UnifiedRecord) -> Vec<String> {
    use crate::domain::pension_projection::PensionProjection;
    use crate::domain::unemployment::UnemploymentEntitlement;
    let mut lines = Vec::new();
    if let Some(UnemploymentEntitlement::Computed(e)) = &record.unemployment_entitlement {
        if e.contribution_months_total > 0 {
            lines.push(e.wording_zh.clone());
        }
    }
    if let Some(PensionProjection::Computed { answers, .. }) = &record.pension_projection {
        lines.extend(answers.iter().map(|a| a.wording_zh.clone()));
    }
    lines
}
