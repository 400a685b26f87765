//! Two people acting on the same case (or meeting) at once: one wins, the other is told
//! 「该案件已被他人办理，请刷新」 and nothing is written. Pure: the command reads the case's
//! `version` and its latest step under the write lock and asks these functions.
//!
//! A desktop sends the `expected_version` it showed (every acting command takes it, optional);
//! a case at another version has moved on. Without it, a step refused because the case is no
//! longer in the state the step belongs to, when the case's latest step is that same step taken
//! by someone else, is the same conflict: they just took it. (Taken by the same user, it is their
//! own earlier step, and the rule's own refusal says more.)

use serde_json::Value;

use crate::error::{CmdError, CmdResult};

/// The conflict's message, the same for every kind of case.
pub const MOVED_ON: &str = "该案件已被他人办理，请刷新";

/// The refusal: code `conflict`, field `expected_version`.
pub fn moved_on_error() -> CmdError {
    CmdError::conflict("expected_version", MOVED_ON)
}

/// Take `expected_version` out of a command's input (so the command's own input type need not
/// know it): absent or null → None; anything but a whole number ≥ 0 is refused.
pub fn take_expected_version(input: &mut Value) -> CmdResult<Option<i64>> {
    let Some(v) = input
        .as_object_mut()
        .and_then(|o| o.remove("expected_version"))
    else {
        return Ok(None);
    };
    match v {
        Value::Null => Ok(None),
        v => v.as_i64().filter(|n| *n >= 0).map(Some).ok_or_else(|| {
            CmdError::invalid(
                "expected_version",
                "expected_version 须为页面显示时案件的版本号（非负整数）",
            )
        }),
    }
}

/// The version the user's page showed against the case's now: a different one has moved on.
pub fn check_version(expected: Option<i64>, current: i64) -> CmdResult<()> {
    match expected {
        Some(e) if e != current => Err(moved_on_error()),
        _ => Ok(()),
    }
}

/// Whether a refused step is another person's doing: refused because the case is not in the
/// state the step belongs to (`wrong_state`), and the case's latest step (`last`: action, user)
/// is this very step taken by another user than `user_id`.
pub fn taken_by_another(
    wrong_state: bool,
    last: Option<(&str, i64)>,
    action: &str,
    user_id: i64,
) -> bool {
    wrong_state && last.is_some_and(|(a, by)| a == action && by != user_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use serde_json::json;

    #[test]
    fn a_version_other_than_the_case_s_is_the_conflict() {
        assert!(check_version(None, 7).is_ok());
        assert!(check_version(Some(7), 7).is_ok());
        let e = check_version(Some(6), 7).unwrap_err();
        assert_eq!(e.code, ErrorCode::Conflict);
        assert_eq!(e.message, "该案件已被他人办理，请刷新");
        assert_eq!(e.field.as_deref(), Some("expected_version"));
        // A version from the future (a page of another database) is no better.
        assert!(check_version(Some(8), 7).is_err());
    }

    #[test]
    fn expected_version_is_taken_out_of_the_input() {
        let cases = [
            (json!({"case_id": 1, "expected_version": 3}), Ok(Some(3))),
            (json!({"case_id": 1, "expected_version": null}), Ok(None)),
            (json!({"case_id": 1}), Ok(None)),
            (json!({"case_id": 1, "expected_version": "3"}), Err(())),
            (json!({"case_id": 1, "expected_version": -1}), Err(())),
            (json!({"case_id": 1, "expected_version": 1.5}), Err(())),
        ];
        for (mut input, want) in cases {
            let got = take_expected_version(&mut input);
            match want {
                Ok(v) => assert_eq!(got.unwrap(), v),
                Err(()) => {
                    assert_eq!(got.unwrap_err().field.as_deref(), Some("expected_version"))
                }
            }
            assert_eq!(input, json!({"case_id": 1}));
        }
    }

    #[test]
    fn the_same_step_just_taken_is_another_person_s_doing() {
        // (wrong state, latest step and its user, this step) by user 1 → conflict?
        let cases = [
            (true, Some(("accept", 2)), "accept", true),
            (true, Some(("accept", 1)), "accept", false),
            (true, Some(("accept", 2)), "review_township", false),
            (false, Some(("accept", 2)), "accept", false),
            (true, None, "accept", false),
        ];
        for (wrong, last, action, want) in cases {
            assert_eq!(
                taken_by_another(wrong, last, action, 1),
                want,
                "{last:?} {action}"
            );
        }
    }
}
