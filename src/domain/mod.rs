//! Pure domain types and rules: no I/O, no database, no HTTP. Everything here is built through a
//! validating constructor, so code that holds a value of these types may trust it.

pub mod bureau_time;
mod citizen_id;
mod codes;
pub mod contribution_problems;
pub mod excerpt;
mod money;
mod month;
mod month_range;
pub mod pension_projection;
pub mod record;
pub mod retirement;
pub mod unemployment;

pub use citizen_id::{mask, CitizenId, CitizenIdError};
pub use codes::{
    BenefitKind, CardStatus, ContributionStatus, DeathSource, EmploymentKind, EnrolmentStatus,
    Gender, Insurance, RetirementCategory, UnknownCode,
};
pub use money::{Fen, MoneyError};
pub use month::{Month, MonthError};
