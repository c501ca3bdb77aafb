//! The closed code lists the subsystems export (insurance kinds, statuses, benefit kinds...).
//!
//! Each list is written once in `code_list!`, which gives the machine code used in CSV files, the
//! database and JSON, the official Chinese name shown to people, and parsing with an error that
//! lists the accepted codes.

/// A code that is not in its list; the message lists the accepted codes so the exporter can fix
/// the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{:?} is not a known {list}; expected one of: {expected}", super::excerpt::excerpt(.value))]
pub struct UnknownCode {
    pub list: &'static str,
    pub value: String,
    pub expected: String,
}

macro_rules! code_list {
    ($(#[$doc:meta])* $name:ident, $list:literal { $($variant:ident = $code:literal, $zh:literal;)+ }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The official Chinese name, as printed and shown at the kiosk.
            pub fn name_zh(self) -> &'static str {
                match self { $($name::$variant => $zh),+ }
            }

            pub fn parse(text: &str) -> Result<$name, UnknownCode> {
                match text.trim() {
                    $($code => Ok($name::$variant),)+
                    other => Err(UnknownCode {
                        list: $list,
                        value: other.to_string(),
                        expected: [$($code),+].join(", "),
                    }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

code_list!(
    /// Insurance kinds (险种).
    Insurance, "insurance" {
        EnterprisePension = "enterprise_pension", "企业职工基本养老保险";
        InstitutionPension = "institution_pension", "机关事业单位养老保险";
        ResidentPension = "resident_pension", "城乡居民养老保险";
        Unemployment = "unemployment", "失业保险";
        WorkInjury = "work_injury", "工伤保险";
        OccupationalAnnuity = "occupational_annuity", "职业年金";
    }
);

code_list!(
    /// Gender as coded on the card and in GB/T 2261.1: 1 male, 2 female.
    Gender, "gender" {
        Male = "1", "男";
        Female = "2", "女";
    }
);

code_list!(
    /// State of a social security card.
    CardStatus, "card status" {
        Active = "active", "正常";
        TempLost = "temp_lost", "临时挂失";
        Lost = "lost", "挂失";
        Cancelled = "cancelled", "注销";
    }
);

code_list!(
    /// State of an enrolment (参保状态).
    EnrolmentStatus, "enrolment status" {
        Active = "active", "参保缴费";
        Suspended = "suspended", "暂停缴费";
        Terminated = "terminated", "终止参保";
    }
);

code_list!(
    /// State of one month's contribution.
    ContributionStatus, "contribution status" {
        Paid = "paid", "已实缴";
        Arrears = "arrears", "欠缴";
        BackPaid = "back_paid", "补缴";
    }
);

code_list!(
    /// Benefits paid out by the subsystems.
    BenefitKind, "benefit" {
        BasicPension = "basic_pension", "基本养老金";
        UnemploymentBenefit = "unemployment_benefit", "失业保险金";
        InjuryAllowance = "injury_allowance", "工伤津贴";
        InjuryPension = "injury_pension", "伤残津贴";
        FuneralGrant = "funeral_grant", "丧葬补助金";
    }
);

code_list!(
    /// Kinds of employment-service registration.
    EmploymentKind, "employment kind" {
        Employment = "employment", "就业登记";
        Unemployment = "unemployment", "失业登记";
    }
);

code_list!(
    /// Who reported a death (社会保险经办条例 §8: 公安 户口注销, 民政 火化, 卫生健康 死亡医学证明).
    DeathSource, "death source" {
        PublicSecurity = "public_security", "公安机关";
        CivilAffairs = "civil_affairs", "民政部门";
        Health = "health", "卫生健康部门";
    }
);

code_list!(
    /// The retirement-age category of the 2024 NPCSC decision (第一条): men (original age 60),
    /// women whose original age was 55 (cadres) or 50 (workers). The underscore keeps serde's
    /// snake_case name equal to the code (`female_55`).
    #[allow(non_camel_case_types)]
    RetirementCategory, "retirement category" {
        Male = "male", "男职工";
        Female_55 = "female_55", "原法定退休年龄为五十五周岁的女职工";
        Female_50 = "female_50", "原法定退休年龄为五十周岁的女职工";
    }
);

impl Insurance {
    /// The short name people use in a list ("养老、失业、工伤").
    pub fn short_zh(self) -> &'static str {
        match self {
            Insurance::EnterprisePension => "养老",
            Insurance::InstitutionPension => "机关事业养老",
            Insurance::ResidentPension => "居民养老",
            Insurance::Unemployment => "失业",
            Insurance::WorkInjury => "工伤",
            Insurance::OccupationalAnnuity => "职业年金",
        }
    }

    /// Resident pension (城乡居民养老保险) is paid once a year and covers that whole year; the
    /// other insurances are paid month by month.
    pub fn is_annual(self) -> bool {
        matches!(self, Insurance::ResidentPension)
    }
}

impl ContributionStatus {
    /// Whether the month counts as paid (断缴 is a month without a paid or back-paid row).
    pub fn counts_as_paid(self) -> bool {
        matches!(
            self,
            ContributionStatus::Paid | ContributionStatus::BackPaid
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_parses_back_to_itself() {
        for i in Insurance::ALL {
            assert_eq!(Insurance::parse(i.code()).unwrap(), *i);
        }
        assert_eq!(Gender::parse("2").unwrap(), Gender::Female);
    }

    #[test]
    fn unknown_codes_list_the_accepted_ones() {
        let err = CardStatus::parse("stolen").unwrap_err();
        assert_eq!(
            err.to_string(),
            "\"stolen\" is not a known card status; expected one of: active, temp_lost, lost, cancelled"
        );
    }
}
