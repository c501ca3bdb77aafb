//! 领取待遇资格认证: once a year a pensioner proves they are alive and entitled. The window
//! records the year, how it was done and by which clerk; one certification per citizen and
//! year, so a second request for the same year returns the first.

use super::{audit_staff, WindowError};
use crate::db::schema::{eligibility_certifications as ec, persons};
use crate::db::DbConn;
use crate::domain::CitizenId;
use crate::staff::Staff;
use chrono::{Datelike, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// 窗口现场认证
    InPerson,
    /// 上门认证
    HomeVisit,
    /// 人脸识别
    FaceRecognition,
    /// 数据比对
    DataMatch,
}

impl Method {
    pub fn code(self) -> &'static str {
        match self {
            Method::InPerson => "in_person",
            Method::HomeVisit => "home_visit",
            Method::FaceRecognition => "face_recognition",
            Method::DataMatch => "data_match",
        }
    }
}

#[derive(Debug, Clone, Queryable, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Certification {
    pub year: i32,
    pub method: String,
    pub staff_username: String,
    #[schema(value_type = String)]
    pub certified_at: NaiveDateTime,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Certified {
    pub certification: Certification,
    /// False when the year was already certified (nothing changed).
    pub created: bool,
}

pub fn of(conn: &mut DbConn, ssn: &str) -> Result<Vec<Certification>, WindowError> {
    Ok(ec::table
        .filter(ec::ssn.eq(ssn))
        .order(ec::year.desc())
        .select((ec::year, ec::method, ec::staff_username, ec::certified_at))
        .load(conn)?)
}

pub fn certify(
    conn: &mut DbConn,
    who: &Staff,
    ssn: &CitizenId,
    year: i32,
    method: Method,
    now: NaiveDateTime,
) -> Result<Certified, WindowError> {
    let this_year = crate::domain::bureau_time::date_of(now).year();
    if !(2000..=this_year + 1).contains(&year) {
        return Err(WindowError::BadInput(format!(
            "year must be between 2000 and {}",
            this_year + 1
        )));
    }
    conn.transaction(|conn| {
        let known: i64 = persons::table.find(ssn.as_str()).count().get_result(conn)?;
        if known == 0 {
            return Err(WindowError::NotFound(format!(
                "no citizen with ID number {}",
                ssn.masked()
            )));
        }
        // The primary key (ssn, year) decides a race between two clerks or two clicks.
        let inserted = crate::with_backend!(conn, |c| diesel::insert_into(ec::table)
            .values((
                ec::ssn.eq(ssn.as_str()),
                ec::year.eq(year),
                ec::method.eq(method.code()),
                ec::staff_username.eq(&who.username),
                ec::certified_at.eq(now),
            ))
            .on_conflict_do_nothing()
            .execute(c))?;
        let certification: Certification = ec::table
            .find((ssn.as_str(), year))
            .select((ec::year, ec::method, ec::staff_username, ec::certified_at))
            .first(conn)?;
        if inserted == 1 {
            let detail = Some(format!("year {year} method {}", method.code()));
            audit_staff(
                conn,
                who,
                "eligibility.certify",
                Some(ssn.as_str()),
                None,
                "ok",
                detail,
                now,
            )?;
        }
        Ok(Certified {
            certification,
            created: inserted == 1,
        })
    })
}
