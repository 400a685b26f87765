//! The six-item self-care assessment (吃饭, 穿衣, 上下床, 如厕, 室内行走, 洗澡) as the registry
//! records it: all six answered, the level from the rules engine, the stored code, and the items
//! failed. Pure.

use crate::error::{CmdError, CmdResult};
use crate::rules::{self, SelfCare, SelfCareFacts, SixItems};

use super::PersonFacts;

pub struct Assessment {
    pub level: SelfCare,
    /// The code stored on the person: `self`, `partial` or `none`.
    pub code: &'static str,
    /// The labels of the items the person cannot do alone.
    pub failed: Vec<&'static str>,
}

/// All met = 自理, 1–3 failed = 半护理, ≥ 4 failed = 全护理; an unanswered item is refused
/// (field `items.<item>`).
pub fn assess_self_care(six: SixItems, person_id: i64, f: &PersonFacts) -> CmdResult<Assessment> {
    let names = six.items();
    if let Some((field, label, _)) = names.iter().find(|(_, _, v)| v.is_none()) {
        return Err(CmdError::invalid(
            &format!("items.{field}"),
            format!("六项自理能力评估缺少“{label}”一项：六项都要评估后才能确定自理等级"),
        ));
    }
    let member = rules::Member {
        person_id,
        name: f.name.clone(),
        birth_date: f.birth_date,
        sex: f.sex,
        disability_type: f.disability_type.clone(),
        disability_grade: f.disability_grade,
        serious_illness: f.serious_illness.clone(),
        labour_capacity: rules::LabourCapacity::Full,
        self_care: SelfCareFacts::Assessment(six),
        student: None,
        employment: None,
        covered: true,
        able_supporter: false,
    };
    let level = rules::self_care_level(&member);
    Ok(Assessment {
        level,
        code: match level {
            SelfCare::Able => "self",
            SelfCare::Partial => "partial",
            SelfCare::Unable => "none",
        },
        failed: names
            .iter()
            .filter(|(_, _, v)| *v == Some(false))
            .map(|(_, l, _)| *l)
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::idcard::Sex;

    #[test]
    fn six_items_give_a_level() {
        let f = PersonFacts {
            id_number: String::new(),
            name: "张三".into(),
            sex: Sex::Male,
            birth_date: "1940-01-01".parse().unwrap(),
            disability_type: None,
            disability_grade: None,
            serious_illness: None,
            labour_capacity: "none".into(),
            self_care: "self".into(),
            student: None,
            employment: None,
        };
        let items = |v: [Option<bool>; 6]| SixItems {
            eating: v[0],
            dressing: v[1],
            getting_up: v[2],
            toileting: v[3],
            walking_indoors: v[4],
            bathing: v[5],
        };
        let (y, n) = (Some(true), Some(false));
        // (answers, Ok((code, failed)) or Err(field))
        type Case = (
            [Option<bool>; 6],
            Result<(&'static str, &'static [&'static str]), &'static str>,
        );
        let table: &[Case] = &[
            ([y, y, y, y, y, y], Ok(("self", &[]))),
            (
                [y, n, y, y, n, n],
                Ok(("partial", &["穿衣", "室内行走", "洗澡"])),
            ),
            (
                [n, n, n, n, y, y],
                Ok(("none", &["吃饭", "穿衣", "上下床", "如厕"])),
            ),
            ([y, y, None, y, y, y], Err("items.getting_up")),
        ];
        for (answers, want) in table {
            match (assess_self_care(items(*answers), 1, &f), want) {
                (Ok(a), Ok((code, failed))) => {
                    assert_eq!((a.code, a.failed.as_slice()), (*code, *failed));
                }
                (Err(e), Err(field)) => assert_eq!(e.field.as_deref(), Some(*field)),
                (Ok(a), want) => panic!("{}: want {want:?}", a.code),
                (Err(e), want) => panic!("{e:?}: want {want:?}"),
            }
        }
    }
}
