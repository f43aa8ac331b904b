//! Deadlines: the acknowledgement and the answer the corporation promised,
//! bounded by the law (GDPR art. 12(3)).
//!
//! - The answer is due at the earlier of the promised term (`4w`) and the
//!   legal maximum (`1 month`).
//! - An extension (at most `2 months` in total, announced with reasons
//!   within the first month) moves the answer to the legal deadline plus the
//!   extension: the promise no longer binds once the tenant was told.
//! - Month arithmetic: the same day number in the later month, or that
//!   month's last day where the day does not exist (31 January + 1 month =
//!   28 February, or 29 in a leap year).
//! - The clock starts at receipt or at verification of identity, as
//!   configured; under the verification rule no deadline runs before it.

use chrono::{Days, Months, NaiveDate};
use serde::Serialize;

use crate::config::{ClockStart, Term, Terms};

impl Term {
    /// The date this term after `start`; `None` when out of range.
    pub fn after(self, start: NaiveDate) -> Option<NaiveDate> {
        match self {
            Term::Hours(h) => start.checked_add_days(Days::new(u64::from(h).div_ceil(24))),
            Term::Days(d) => start.checked_add_days(Days::new(u64::from(d))),
            Term::Weeks(w) => start.checked_add_days(Days::new(7 * u64::from(w))),
            Term::Months(m) => add_months(start, m),
        }
    }
}

/// `date` plus `months` calendar months: the same day number, or the last
/// day of that month where the day does not exist.
pub fn add_months(date: NaiveDate, months: u32) -> Option<NaiveDate> {
    // chrono clamps to the month's last day, which is the rule.
    date.checked_add_months(Months::new(months))
}

/// A request's deadlines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Deadlines {
    /// Which clock rule applied.
    pub clock: ClockStart,
    /// The day the clock started; `None` while it waits for verification.
    pub start: Option<NaiveDate>,
    /// Acknowledgement due.
    pub acknowledgement: Option<NaiveDate>,
    /// The answer due: the earlier of the promise and the legal maximum, or
    /// the extended deadline.
    pub answer: Option<NaiveDate>,
    /// The legal deadline without extension: the last day an extension may
    /// be announced.
    pub legal: Option<NaiveDate>,
    /// Months of extension granted.
    pub extension_months: u32,
}

impl Deadlines {
    /// Computes the deadlines from the request's dates and the terms that
    /// applied when it was opened.
    pub fn compute(
        terms: &Terms,
        received: NaiveDate,
        verified: Option<NaiveDate>,
        extension_months: u32,
    ) -> Deadlines {
        let start = match terms.clock_starts {
            ClockStart::Receipt => Some(received),
            ClockStart::Verification => verified,
        };
        let legal = start.and_then(|s| terms.legal_maximum.after(s));
        let promised = start.and_then(|s| terms.answer.after(s));
        let answer = if extension_months > 0 {
            legal.and_then(|l| add_months(l, extension_months))
        } else {
            match (promised, legal) {
                (Some(p), Some(l)) => Some(p.min(l)),
                (p, l) => p.or(l),
            }
        };
        Deadlines {
            clock: terms.clock_starts,
            start,
            acknowledgement: start.and_then(|s| terms.acknowledgement.after(s)),
            answer,
            legal,
            extension_months,
        }
    }

    /// Whether an extension may still be announced on `today`: within the
    /// first (legal) term.
    pub fn extension_open(&self, today: NaiveDate) -> bool {
        self.legal.is_some_and(|l| today <= l)
    }

    /// Days from `today` until the answer is due; negative when overdue.
    pub fn days_left(&self, today: NaiveDate) -> Option<i64> {
        self.answer.map(|a| (a - today).num_days())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn months_keep_the_day_or_take_the_last_day() {
        assert_eq!(add_months(d(2026, 3, 15), 1), Some(d(2026, 4, 15)));
        assert_eq!(add_months(d(2026, 1, 31), 1), Some(d(2026, 2, 28)));
        assert_eq!(add_months(d(2026, 3, 31), 1), Some(d(2026, 4, 30)));
        assert_eq!(add_months(d(2026, 12, 31), 1), Some(d(2027, 1, 31)));
        assert_eq!(add_months(d(2026, 8, 31), 2), Some(d(2026, 10, 31)));
    }

    #[test]
    fn leap_years_have_a_29th_of_february() {
        assert_eq!(add_months(d(2028, 1, 31), 1), Some(d(2028, 2, 29)));
        assert_eq!(add_months(d(2028, 1, 29), 1), Some(d(2028, 2, 29)));
        assert_eq!(add_months(d(2028, 2, 29), 1), Some(d(2028, 3, 29)));
        assert_eq!(add_months(d(2100, 1, 31), 1), Some(d(2100, 2, 28)));
        assert_eq!(add_months(d(2000, 1, 31), 1), Some(d(2000, 2, 29)));
    }

    #[test]
    fn the_four_week_promise_is_earlier_than_the_month_except_in_february() {
        let terms = Terms::default();
        // 15 March: 4 weeks = 12 April, the month = 15 April.
        let march = Deadlines::compute(&terms, d(2026, 3, 15), None, 0);
        assert_eq!(march.answer, Some(d(2026, 4, 12)));
        assert_eq!(march.legal, Some(d(2026, 4, 15)));
        assert_eq!(march.acknowledgement, Some(d(2026, 3, 16)));
        // 1 February 2026 (no leap year): 4 weeks = 1 March, the month = 1 March.
        let feb = Deadlines::compute(&terms, d(2026, 2, 1), None, 0);
        assert_eq!(feb.answer, Some(d(2026, 3, 1)));
        // 31 January 2026: the month ends on 28 February, before the 4 weeks (28 February too).
        let jan = Deadlines::compute(&terms, d(2026, 1, 31), None, 0);
        assert_eq!(jan.legal, Some(d(2026, 2, 28)));
        assert_eq!(jan.answer, Some(d(2026, 2, 28)));
        // 10 February 2026: 4 weeks = 10 March = the month; a 30-day promise loses to the month.
        let thirty = Terms {
            answer: Term::Days(30),
            ..Terms::default()
        };
        let feb10 = Deadlines::compute(&thirty, d(2026, 2, 10), None, 0);
        assert_eq!(feb10.answer, Some(d(2026, 3, 10)));
        // 31 January 2028 (leap year): the month ends on 29 February.
        let leap = Deadlines::compute(&thirty, d(2028, 1, 31), None, 0);
        assert_eq!(leap.answer, Some(d(2028, 2, 29)));
    }

    #[test]
    fn extensions_count_from_the_legal_deadline() {
        let terms = Terms::default();
        let one = Deadlines::compute(&terms, d(2026, 3, 15), None, 1);
        assert_eq!(one.answer, Some(d(2026, 5, 15)));
        let two = Deadlines::compute(&terms, d(2026, 3, 15), None, 2);
        assert_eq!(two.answer, Some(d(2026, 6, 15)));
        // 31 January: legal 28 February, extended by two months to 28 April.
        let jan = Deadlines::compute(&terms, d(2026, 1, 31), None, 2);
        assert_eq!(jan.answer, Some(d(2026, 4, 28)));
        // An extension may be announced up to and including the legal deadline.
        assert!(two.extension_open(d(2026, 4, 15)));
        assert!(!two.extension_open(d(2026, 4, 16)));
    }

    #[test]
    fn the_verification_rule_waits_for_identity() {
        let terms = Terms {
            clock_starts: ClockStart::Verification,
            ..Terms::default()
        };
        let waiting = Deadlines::compute(&terms, d(2026, 3, 1), None, 0);
        assert_eq!(waiting.start, None);
        assert_eq!(waiting.answer, None);
        assert!(!waiting.extension_open(d(2026, 3, 2)));
        let verified = Deadlines::compute(&terms, d(2026, 3, 1), Some(d(2026, 3, 10)), 0);
        assert_eq!(verified.start, Some(d(2026, 3, 10)));
        assert_eq!(verified.acknowledgement, Some(d(2026, 3, 11)));
        assert_eq!(verified.answer, Some(d(2026, 4, 7)));
        assert_eq!(verified.days_left(d(2026, 4, 8)), Some(-1));
    }
}
