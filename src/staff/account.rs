//! Staff accounts: creation (validated), listing, role and disabled changes, password changes
//! (which end every other session), an admin's password reset, unlocking. Each change is
//! audited with its actor.
//!
//! A password someone else chose (an admin creating the account or resetting its password)
//! is temporary: `must_change_password` is set, and the guard lets the account do nothing but
//! change it (docs/staff.md). Its owner choosing one clears the flag.

use super::{password, Role, StaffError};
use crate::audit::{self, NewEntry};
use crate::db::schema::{staff, staff_sessions};
use crate::db::DbConn;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

/// An account as everyone but the login sees it (no hash).
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = staff)]
pub struct Staff {
    #[serde(skip)]
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub window_no: Option<String>,
    #[serde(rename = "role")]
    #[schema(value_type = Role)]
    #[diesel(column_name = role)]
    pub role_code: String,
    pub disabled: bool,
    #[schema(value_type = Option<String>)]
    pub locked_until: Option<NaiveDateTime>,
    /// The password was set by someone else; until its owner changes it, the account may only
    /// see its session, sign out and change the password.
    pub must_change_password: bool,
}

impl Staff {
    /// The stored role; an unknown code (a hand-edited row) counts as the lowest.
    pub fn role(&self) -> Role {
        Role::parse(&self.role_code).unwrap_or(Role::Clerk)
    }
}

/// What `staff add` and the admin screen give.
#[derive(Debug, Clone)]
pub struct NewStaff {
    pub username: String,
    pub display_name: String,
    pub window_no: Option<String>,
    pub role: Role,
    pub password: String,
    /// True when someone other than the person chose `password` (an admin in the browser);
    /// false when the person typed it themselves (`sskiosk staff add`).
    pub must_change_password: bool,
}

pub fn valid_username(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

impl NewStaff {
    /// Checks every field; the password against the policy.
    pub fn validate(&self, min_password: usize) -> Result<(), StaffError> {
        if !valid_username(&self.username) {
            return Err(StaffError::BadUsername);
        }
        let display = self.display_name.trim().chars().count();
        if !(1..=64).contains(&display) {
            return Err(StaffError::BadDisplayName);
        }
        if self
            .window_no
            .as_ref()
            .is_some_and(|w| w.chars().count() > 16)
        {
            return Err(StaffError::BadWindow);
        }
        password::check_policy(&self.password, min_password)
    }
}

/// Creates an account (the password hashed here) and audits it as done by `actor`.
pub fn create(
    conn: &mut DbConn,
    new: &NewStaff,
    min_password: usize,
    actor: &str,
    now: NaiveDateTime,
) -> Result<Staff, StaffError> {
    new.validate(min_password)?;
    let hash = password::hash(&new.password)?;
    conn.transaction(|conn| {
        let taken: i64 = staff::table
            .filter(staff::username.eq(&new.username))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(StaffError::Taken(new.username.clone()));
        }
        diesel::insert_into(staff::table)
            .values((
                staff::username.eq(&new.username),
                staff::display_name.eq(new.display_name.trim()),
                staff::window_no.eq(&new.window_no),
                staff::role.eq(new.role.code()),
                staff::password_hash.eq(&hash),
                staff::disabled.eq(false),
                staff::failed_logins.eq(0),
                staff::created_at.eq(now),
                staff::password_changed_at.eq(now),
                staff::must_change_password.eq(new.must_change_password),
            ))
            .execute(conn)?;
        audit_change(
            conn,
            actor,
            "staff.create",
            &format!("{} role={}", new.username, new.role.code()),
            now,
        )?;
        find(conn, &new.username)
    })
}

pub fn find(conn: &mut DbConn, username: &str) -> Result<Staff, StaffError> {
    staff::table
        .filter(staff::username.eq(username))
        .select(Staff::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| StaffError::Unknown(username.chars().take(64).collect()))
}

/// The accounts named `usernames` (unknown names are left out), for showing who acted.
pub fn find_many(conn: &mut DbConn, usernames: &[&str]) -> Result<Vec<Staff>, StaffError> {
    Ok(staff::table
        .filter(staff::username.eq_any(usernames))
        .select(Staff::as_select())
        .load(conn)?)
}

pub fn list(conn: &mut DbConn) -> Result<Vec<Staff>, StaffError> {
    Ok(staff::table
        .order(staff::username)
        .select(Staff::as_select())
        .load(conn)?)
}

pub fn set_role(
    conn: &mut DbConn,
    username: &str,
    role: Role,
    actor: &str,
    now: NaiveDateTime,
) -> Result<Staff, StaffError> {
    conn.transaction(|conn| {
        crate::audit::lock_head(conn)?;
        let before = find(conn, username)?;
        super::last_admin::keep_one(conn, &before, role == Role::Admin)?;
        diesel::update(staff::table.find(before.id))
            .set(staff::role.eq(role.code()))
            .execute(conn)?;
        audit_change(
            conn,
            actor,
            "staff.role",
            &format!("{username} {}→{}", before.role().code(), role.code()),
            now,
        )?;
        find(conn, username)
    })
}

/// Disables (ending every session) or re-enables an account.
pub fn set_disabled(
    conn: &mut DbConn,
    username: &str,
    disabled: bool,
    actor: &str,
    now: NaiveDateTime,
) -> Result<Staff, StaffError> {
    conn.transaction(|conn| {
        crate::audit::lock_head(conn)?;
        let before = find(conn, username)?;
        super::last_admin::keep_one(conn, &before, !disabled)?;
        diesel::update(staff::table.find(before.id))
            .set(staff::disabled.eq(disabled))
            .execute(conn)?;
        if disabled {
            end_sessions(conn, before.id, None)?;
        }
        let action = if disabled {
            "staff.disable"
        } else {
            "staff.enable"
        };
        audit_change(conn, actor, action, username, now)?;
        find(conn, username)
    })
}

/// Clears a lockout and the failure count.
pub fn unlock(
    conn: &mut DbConn,
    username: &str,
    actor: &str,
    now: NaiveDateTime,
) -> Result<Staff, StaffError> {
    conn.transaction(|conn| {
        let before = find(conn, username)?;
        clear_lockout(conn, before.id)?;
        audit_change(conn, actor, "staff.unlock", username, now)?;
        find(conn, username)
    })
}

/// Sets a password its owner chose (policy checked; a temporary password's flag cleared) and
/// ends every session of the account except `keep` (the token hash of the session that asked,
/// if any).
pub fn set_password(
    conn: &mut DbConn,
    username: &str,
    new_password: &str,
    min_password: usize,
    keep: Option<&str>,
    actor: &str,
    now: NaiveDateTime,
) -> Result<(), StaffError> {
    password::check_policy(new_password, min_password)?;
    let hash = password::hash(new_password)?;
    conn.transaction(|conn| {
        let account = find(conn, username)?;
        store_password(conn, account.id, &hash, false, now)?;
        end_sessions(conn, account.id, keep)?;
        audit_change(conn, actor, "staff.password", username, now)?;
        Ok(())
    })
}

/// A signed-in person changing their own password: the current one must match, and the new one
/// must differ from it (otherwise a forced change of a temporary password would change
/// nothing). The check of the current password is an attempt like a login's (review D3):
/// counted toward the lockout and the address limit before it is made, and a wrong one is
/// audited (`staff.password`, `wrong_password`). Every other session of the account ends;
/// `keep` (the asking session) stays.
pub fn change_own_password(
    conn: &mut DbConn,
    who: &Staff,
    change: &PasswordChange,
    rules: &super::login::LoginRules,
    now: NaiveDateTime,
) -> Result<(), StaffError> {
    let claimant = super::attempt::Claimant {
        name: Some(&who.username),
        account: Some(who),
        address: change.address,
        action: "staff.password",
    };
    let reserved = super::attempt::reserve(conn, &claimant, rules, now)?;
    let stored = password_hash(conn, who.id)?;
    if !password::verify(change.current, &stored) {
        super::attempt::record(conn, &claimant, "wrong_password", now)?;
        return Err(super::attempt::failed(
            &reserved,
            StaffError::WrongCurrentPassword,
        ));
    }
    super::attempt::succeeded(conn, &reserved)?;
    if change.new == change.current {
        return Err(StaffError::SamePassword);
    }
    set_password(
        conn,
        &who.username,
        change.new,
        change.min_length,
        Some(change.keep),
        &super::actor(&who.username),
        now,
    )
}

/// What [`change_own_password`] is given besides the account.
pub struct PasswordChange<'a> {
    pub current: &'a str,
    pub new: &'a str,
    pub min_length: usize,
    /// The asking session's token hash: the one session that stays.
    pub keep: &'a str,
    /// The client's address, for the address limit.
    pub address: &'a str,
}

/// Someone else (an admin, or an operator with `staff passwd --temporary`) gives the account a
/// temporary password: policy checked, `must_change_password` set, every session ended (whoever
/// holds one may be the reason for the reset), a lockout lifted (a reset is how a locked-out
/// person gets back in). Audited as `staff.password_reset`.
pub fn reset_password(
    conn: &mut DbConn,
    username: &str,
    temporary: &str,
    min_password: usize,
    actor: &str,
    now: NaiveDateTime,
) -> Result<Staff, StaffError> {
    password::check_policy(temporary, min_password)?;
    let hash = password::hash(temporary)?;
    conn.transaction(|conn| {
        let account = find(conn, username)?;
        store_password(conn, account.id, &hash, true, now)?;
        clear_lockout(conn, account.id)?;
        end_sessions(conn, account.id, None)?;
        audit_change(conn, actor, "staff.password_reset", username, now)?;
        find(conn, username)
    })
}

/// A new password hash; `temporary`: its owner must choose another at the next sign-in.
fn store_password(
    conn: &mut DbConn,
    id: i64,
    hash: &str,
    temporary: bool,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(staff::table.find(id))
        .set((
            staff::password_hash.eq(hash),
            staff::password_changed_at.eq(now),
            staff::must_change_password.eq(temporary),
        ))
        .execute(conn)
}

fn clear_lockout(conn: &mut DbConn, id: i64) -> QueryResult<usize> {
    diesel::update(staff::table.find(id))
        .set((
            staff::failed_logins.eq(0),
            staff::locked_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
}

/// Ends every session of the account but `keep` (a session token's hash), if given.
fn end_sessions(conn: &mut DbConn, id: i64, keep: Option<&str>) -> QueryResult<usize> {
    let sessions = staff_sessions::table
        .filter(staff_sessions::staff_id.eq(id))
        .filter(staff_sessions::token_hash.ne(keep.unwrap_or("")));
    diesel::delete(sessions).execute(conn)
}

/// The stored hash, for the login and for a password change's current-password check.
pub fn password_hash(conn: &mut DbConn, id: i64) -> Result<String, StaffError> {
    Ok(staff::table
        .find(id)
        .select(staff::password_hash)
        .first(conn)?)
}

fn audit_change(
    conn: &mut DbConn,
    actor: &str,
    action: &str,
    detail: &str,
    now: NaiveDateTime,
) -> Result<(), StaffError> {
    audit::append(
        conn,
        &NewEntry {
            actor: actor.to_string(),
            action: action.to_string(),
            subject_ssn: None,
            purpose: None,
            result: "ok".into(),
            detail: Some(detail.to_string()),
        },
        now,
    )?;
    Ok(())
}
