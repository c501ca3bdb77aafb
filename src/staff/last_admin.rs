//! The store always keeps one enabled admin (review D9: the last admin could demote itself and
//! leave nobody able to manage accounts, and only SQL repaired it). A role change or a disable
//! that would take away the last enabled admin is refused, whoever asks — the browser or the
//! command line; an operator adds another admin first.

use super::{Role, Staff, StaffError};
use crate::db::schema::staff;
use crate::db::DbConn;
use diesel::prelude::*;

/// Refuses to let `account` stop being an enabled admin when it is the only one. Call it in the
/// change's transaction after [`crate::audit::lock_head`], so that two admins demoting each
/// other at once cannot both pass.
pub fn keep_one(conn: &mut DbConn, account: &Staff, stays_admin: bool) -> Result<(), StaffError> {
    let is_admin = account.role() == Role::Admin && !account.disabled;
    if !is_admin || stays_admin {
        return Ok(());
    }
    let others: i64 = staff::table
        .filter(staff::role.eq(Role::Admin.code()))
        .filter(staff::disabled.eq(false))
        .filter(staff::id.ne(account.id))
        .count()
        .get_result(conn)?;
    if others == 0 {
        return Err(StaffError::LastAdmin(account.username.clone()));
    }
    Ok(())
}
