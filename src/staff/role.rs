//! The three roles, each including the one below: clerk ⊂ supervisor ⊂ admin (issue 6).

use serde::{Deserialize, Serialize};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 综合柜员: look up, print on behalf, card loss report and release, eligibility.
    Clerk,
    /// + revoke certificates, read the audit log, unlock accounts.
    Supervisor,
    /// + manage staff, kiosks and printers.
    Admin,
}

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Role::Clerk => "clerk",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Result<Role, super::StaffError> {
        match text {
            "clerk" => Ok(Role::Clerk),
            "supervisor" => Ok(Role::Supervisor),
            "admin" => Ok(Role::Admin),
            other => Err(super::StaffError::BadRole(other.chars().take(32).collect())),
        }
    }

    /// Whether this role may do what `needed` may.
    pub fn includes(self, needed: Role) -> bool {
        self >= needed
    }
}

#[cfg(test)]
mod tests {
    use super::Role;

    #[test]
    fn each_role_includes_the_ones_below_and_not_above() {
        assert!(Role::Admin.includes(Role::Clerk));
        assert!(Role::Supervisor.includes(Role::Supervisor));
        assert!(!Role::Clerk.includes(Role::Supervisor));
        assert!(!Role::Supervisor.includes(Role::Admin));
        assert_eq!(Role::parse("admin").unwrap(), Role::Admin);
        assert!(Role::parse("root").is_err());
    }
}
