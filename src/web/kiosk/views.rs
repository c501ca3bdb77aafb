//! What the kiosk API answers: the citizen's own data shaped for the screen. Amounts are yuan
//! strings and months `YYYY-MM` (as everywhere in the API); the ID number only ever masked.

use crate::domain::record::{InsuranceSummary, UnifiedRecord};
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
    /// paid, back_paid, arrears, gap (no contribution inside the insured span: 断缴), or none
    /// (not insured that month).
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
    /// UTC, `YYYY-MM-DDTHH:MM:SS`.
    pub at: String,
    /// staff, kiosk, system or public.
    pub who_kind: String,
    /// Who, in words (a staff member's account, or this kiosk).
    pub who: String,
    pub action: String,
    pub purpose: Option<String>,
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
}

fn insurance(s: &InsuranceSummary, years: Vec<i32>) -> InsuranceView {
    InsuranceView {
        insurance: s.insurance.code().into(),
        name_zh: s.name_zh.into(),
        status: s.status.map(|x| x.code().into()),
        status_zh: s.status.map(|x| x.name_zh().into()),
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
                .map(|s| insurance(s, years_of(s.insurance)))
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
        }
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
