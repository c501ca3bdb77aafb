//! Issued certificates, the keys that signed them, revocations, reissue links and the
//! verification log. Written once against [`DbConn`]: nothing here differs between backends.

use super::sign::PublishedKey;
use crate::db::schema::{certificate_keys, certificate_verifications, certificates};
use crate::db::DbConn;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = certificates)]
pub struct StoredCertificate {
    pub serial: String,
    pub ssn: String,
    /// [`super::kind::CertificateKind`] code; also inside the signed content.
    pub kind: String,
    pub key_id: String,
    pub issued_at: NaiveDateTime,
    /// Canonical JSON of the frozen content.
    pub content: String,
    /// Hex SHA-256 of `content`.
    pub digest: String,
    /// Base64url Ed25519 signature of the signed message.
    pub signature: String,
    pub revoked_at: Option<NaiveDateTime>,
    pub revoke_reason: Option<String>,
    pub supersedes: Option<String>,
    pub superseded_by: Option<String>,
}

/// Records the key (once) so that its certificates stay verifiable after the key rotates.
pub fn remember_key(conn: &mut DbConn, key: &PublishedKey, now: NaiveDateTime) -> QueryResult<()> {
    let known = certificate_keys::table
        .find(&key.key_id)
        .count()
        .get_result::<i64>(conn)?;
    if known == 0 {
        diesel::insert_into(certificate_keys::table)
            .values((
                certificate_keys::key_id.eq(&key.key_id),
                certificate_keys::public_key.eq(&key.public_key),
                certificate_keys::first_used_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn keys(conn: &mut DbConn) -> QueryResult<Vec<PublishedKey>> {
    let rows: Vec<(String, String)> = certificate_keys::table
        .select((certificate_keys::key_id, certificate_keys::public_key))
        .order(certificate_keys::first_used_at)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(key_id, public_key)| PublishedKey {
            key_id,
            algorithm: "Ed25519".into(),
            public_key,
        })
        .collect())
}

pub fn insert(conn: &mut DbConn, certificate: &StoredCertificate) -> QueryResult<()> {
    diesel::insert_into(certificates::table)
        .values(certificate)
        .execute(conn)
        .map(|_| ())
}

pub fn find(conn: &mut DbConn, serial: &str) -> QueryResult<Option<StoredCertificate>> {
    certificates::table
        .find(serial)
        .select(StoredCertificate::as_select())
        .first(conn)
        .optional()
}

/// Marks a certificate revoked; false when it was already revoked (the first reason stands).
pub fn revoke(
    conn: &mut DbConn,
    serial: &str,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        certificates::table
            .find(serial)
            .filter(certificates::revoked_at.is_null()),
    )
    .set((
        certificates::revoked_at.eq(now),
        certificates::revoke_reason.eq(reason),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn mark_superseded(conn: &mut DbConn, old: &str, new: &str) -> QueryResult<()> {
    diesel::update(certificates::table.find(old))
        .set(certificates::superseded_by.eq(new))
        .execute(conn)
        .map(|_| ())
}

pub fn log_verification(
    conn: &mut DbConn,
    serial: &str,
    result: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(certificate_verifications::table)
        .values((
            certificate_verifications::serial.eq(serial),
            certificate_verifications::verified_at.eq(now),
            certificate_verifications::result.eq(result),
        ))
        .execute(conn)
        .map(|_| ())
}
