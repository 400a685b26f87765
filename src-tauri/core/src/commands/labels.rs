//! `labels.get`: the Chinese words for every code the faces show, from their one source in the
//! core — each command's label (the `COMMANDS` table), the audit actions recorded under other
//! names, the kinds of audited records, every state of every case kind (the workflow enums) and
//! every standard key (the catalogue, per scope). The UI keeps no table of its own.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use super::households::ChoiceDto;
use super::{Session, COMMANDS};
use crate::error::CmdResult;
use crate::labels::{AUDIT_ACTIONS, ENTITIES, STATE_KINDS};
use crate::rules::{Scope, CATALOGUE};

/// The states of one kind of record.
#[derive(Serialize, JsonSchema)]
pub(crate) struct StateKindDto {
    /// The audit entity of the kind: `case` (低保/特困), `temp_aid_case`, `deliberation_case` …
    entity: &'static str,
    label: &'static str,
    states: Vec<ChoiceDto>,
}

/// One standard key and scope in words.
#[derive(Serialize, JsonSchema)]
pub(crate) struct StandardLabel {
    key: &'static str,
    scope: &'static str,
    /// The scoped label: "城市低保标准".
    label: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct LabelsReply {
    /// Every command.
    commands: Vec<ChoiceDto>,
    /// What an audit row may record: every command and the actions recorded under other names.
    actions: Vec<ChoiceDto>,
    /// The kinds of record an audit row is about.
    entities: Vec<ChoiceDto>,
    states: Vec<StateKindDto>,
    standards: Vec<StandardLabel>,
}

fn pairs(list: &[(&'static str, &'static str)]) -> Vec<ChoiceDto> {
    list.iter()
        .map(|&(code, label)| ChoiceDto { code, label })
        .collect()
}

pub(crate) fn get(s: &mut Session, _: Value) -> CmdResult<LabelsReply> {
    s.user()?;
    let commands: Vec<ChoiceDto> = COMMANDS
        .iter()
        .map(|c| ChoiceDto {
            code: c.name,
            label: c.label,
        })
        .collect();
    let mut actions = pairs(AUDIT_ACTIONS);
    actions.extend(COMMANDS.iter().map(|c| ChoiceDto {
        code: c.name,
        label: c.label,
    }));
    let states = STATE_KINDS
        .iter()
        .map(|k| StateKindDto {
            entity: k.entity,
            label: k.label,
            states: pairs(&(k.states)()),
        })
        .collect();
    let standards = CATALOGUE
        .iter()
        .flat_map(|d| {
            let scopes: &[Scope] = if d.per_area() {
                &[Scope::Urban, Scope::Rural]
            } else {
                &[Scope::All]
            };
            scopes.iter().map(move |&sc| StandardLabel {
                key: d.key,
                scope: sc.code(),
                label: d.scoped_label(sc),
            })
        })
        .collect();
    Ok(LabelsReply {
        commands,
        actions,
        entities: pairs(ENTITIES),
        states,
        standards,
    })
}
