//! The last safeguard before a bundle: every record must be tied to the
//! subject by an owner or by an identifier that only the subject holds.

use std::collections::HashSet;

use indexmap::IndexMap;
use inzage_core::{Identifier, Record, ReviewReason};

use crate::findings::{Identity, IdentityStatus, Withheld};

/// Keeps only records tied to the subject, and withdraws identifiers that
/// were learned solely from records that are not.
///
/// A record is kept when its owner is the subject, or when it matched on a
/// trusted identifier that is not ambiguous. An identifier is trusted when it
/// was requested, is one of the subject's owner numbers, or was revealed by a
/// kept record. This runs to a fixpoint, so an identifier learned through a
/// shared e-mail address cannot pull in data either.
pub fn withdraw_untrusted(
    start: &Identifier,
    anchors: &HashSet<Identifier>,
    identities: &mut IndexMap<Identifier, Identity>,
    records: &mut Vec<Record>,
    withheld: &mut Vec<Withheld>,
) {
    let followable = |id: &Identifier, identities: &IndexMap<Identifier, Identity>| {
        identities
            .get(id)
            .is_some_and(|i| i.status == IdentityStatus::Followed)
    };
    let mut trusted: HashSet<Identifier> = anchors.iter().cloned().collect();
    if followable(start, identities) {
        trusted.insert(start.clone());
    }
    let mut kept = vec![false; records.len()];
    loop {
        let mut changed = false;
        for (i, record) in records.iter().enumerate() {
            if kept[i] {
                continue;
            }
            let owned = record.owner.as_ref().is_some_and(|o| anchors.contains(o));
            let tied = record
                .matched_on
                .iter()
                .any(|m| trusted.contains(m) && followable(m, identities));
            if owned || tied {
                kept[i] = true;
                changed = true;
                for y in &record.yields {
                    if followable(y, identities) {
                        trusted.insert(y.clone());
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }
    let all = std::mem::take(records);
    for (record, keep) in all.into_iter().zip(kept) {
        if keep {
            records.push(record);
        } else {
            withheld.push(Withheld {
                record,
                reason: ReviewReason::SharedIdentifierOnly,
            });
        }
    }
    for identity in identities.values_mut() {
        if identity.status == IdentityStatus::Followed && !trusted.contains(&identity.identifier) {
            identity.status = IdentityStatus::Withdrawn {
                reason: "learned only through data that could not be tied to this person".into(),
            };
        }
    }
}
