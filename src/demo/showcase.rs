//! Citizen 0, the same in every demo population whatever the seed: a record that shows every
//! feature of the kiosk in a demo.
//!
//! 张三, man, born 1985-06-15 in 东城区 (ID 110101198506150019), lives in 朝阳区, Beijing:
//! - 2007-07-09 to 2015-03-31 at 北京华信恒通科技有限公司 (E000123); the employer fell behind
//!   for 2013-01 and 2013-02 and paid them late on 2013-06-17 (back_paid);
//! - 2015-04 to 2015-08 out of work (a five-month gap, 断缴): registered unemployed on
//!   2015-04-10 and drew unemployment benefit for 2015-05 to 2015-08;
//! - since 2015-09-01 at 北京中科智联软件有限公司 (E000186), with 2024-03 unpaid (arrears);
//! - cards: a first-generation card issued 2010-09-15 (cancelled), and the 2.00 card issued
//!   2020-09-15 in use (active).
//!
//! Dated facts after `today` are left out like any other, so the record is complete for any
//! `today` from 2024-04-15 until the 2.00 card expires on 2030-09-15.

use super::employers::{EMPLOYERS, SHOWCASE_FIRST, SHOWCASE_SECOND};
use super::identity::Identity;
use super::places::{BEIJING, DISTRICTS, SHOWCASE_BIRTHPLACE};
use super::population::{Arrears, CardPlan, Career, Citizen, Job, Spell};
use crate::domain::{CardStatus, CitizenId};
use chrono::NaiveDate;

/// ID number of the showcase citizen, index 0 of every demo population.
pub const SHOWCASE_SSN: &str = "110101198506150019";
/// Name of the showcase citizen.
pub const SHOWCASE_NAME: &str = "张三";

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("showcase dates are real dates")
}

fn month(year: i32, month: u32) -> i32 {
    super::calendar::index_of(year, month)
}

pub(super) fn identity() -> Identity {
    let id = CitizenId::parse(SHOWCASE_SSN).expect("the showcase ID number is valid");
    Identity {
        gender: id.gender(),
        birth: id.birth_date(),
        id,
        origin: &DISTRICTS[SHOWCASE_BIRTHPLACE],
    }
}

pub(super) fn citizen() -> Citizen {
    let home = &DISTRICTS[0];
    let first = Job {
        employer: &EMPLOYERS[SHOWCASE_FIRST],
        hired: date(2007, 7, 9),
        left: Some(date(2015, 3, 31)),
        wage_pm: 800,
        arrears: vec![Arrears {
            first: month(2013, 1),
            last: month(2013, 2),
            back_paid_on: Some(date(2013, 6, 17)),
        }],
    };
    let second = Job {
        employer: &EMPLOYERS[SHOWCASE_SECOND],
        hired: date(2015, 9, 1),
        left: None,
        wage_pm: 1300,
        arrears: vec![Arrears {
            first: month(2024, 3),
            last: month(2024, 3),
            back_paid_on: None,
        }],
    };
    let spell = Spell {
        registered: date(2015, 4, 10),
        ended: Some(date(2015, 8, 31)),
        benefit_first: month(2015, 5),
        benefit_months: 4,
        city: BEIJING,
    };
    let card = |issued, spec, status, chip| CardPlan {
        issued,
        spec,
        status,
        district: home,
        chip,
    };
    Citizen {
        index: 0,
        who: identity(),
        name: SHOWCASE_NAME.to_string(),
        ethnicity: "01",
        home,
        phone: Some("13800138000".to_string()),
        address: "北京市朝阳区建国路88号院3号楼2单元1502".to_string(),
        cards: vec![
            card(
                date(2010, 9, 15),
                "1.00",
                CardStatus::Cancelled,
                0x5F3A_91C2_07D4_E6B8,
            ),
            card(
                date(2020, 9, 15),
                "2.00",
                CardStatus::Active,
                0x7C21_4E9A_B360_1F5D,
            ),
        ],
        career: Some(Career {
            jobs: vec![first, second],
            spells: vec![spell],
            retired_on: None,
            pension_now: 0,
            raise_pm: 40,
        }),
        resident: None,
    }
}
