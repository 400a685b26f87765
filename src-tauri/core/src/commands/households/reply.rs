//! The registry's replies: a household with its members and history, search results, an ID
//! number's facts, and the registry's codes with their labels.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Serialize;

use crate::registry::{self, Choice};
use crate::store::registry::{Household, HouseholdSummary, Membership};

/// A code and its Chinese label.
#[derive(Serialize, JsonSchema)]
pub(crate) struct ChoiceDto {
    pub code: &'static str,
    pub label: &'static str,
}

pub(crate) fn choice_list(c: &[Choice]) -> Vec<ChoiceDto> {
    c.iter()
        .map(|&(code, label)| ChoiceDto { code, label })
        .collect()
}

/// `registry.choices`: every coded field of the registry.
#[derive(Serialize, JsonSchema)]
pub(crate) struct ChoicesReply {
    pub hukou: Vec<ChoiceDto>,
    pub relations: Vec<ChoiceDto>,
    pub disability_types: Vec<ChoiceDto>,
    pub labour_capacity: Vec<ChoiceDto>,
    pub self_care: Vec<ChoiceDto>,
    pub student: Vec<ChoiceDto>,
    pub employment: Vec<ChoiceDto>,
    pub leave_reasons: Vec<ChoiceDto>,
    pub income_kinds: Vec<ChoiceDto>,
    pub income_periods: Vec<ChoiceDto>,
    pub expenditure_kinds: Vec<ChoiceDto>,
}

/// `id.check`: what the number says, and who already has it.
#[derive(Serialize, JsonSchema)]
pub(crate) struct IdCheckReply {
    pub id_number: String,
    pub birth_date: NaiveDate,
    pub sex: &'static str,
    pub age: i32,
    pub existing: Option<ExistingPerson>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct ExistingPerson {
    pub person_id: i64,
    pub name: String,
    /// The household of the person's open membership, if any.
    pub household_id: Option<i64>,
    pub death_date: Option<NaiveDate>,
}

/// `household.search`: one page of households.
#[derive(Serialize, JsonSchema)]
pub(crate) struct SearchReply {
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
    pub pages: i64,
    pub items: Vec<SearchItem>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct SearchItem {
    id: i64,
    head_name: Option<String>,
    head_id_number: Option<String>,
    township_name: String,
    village_name: String,
    group_name: Option<String>,
    address: String,
    hukou: String,
    phone: Option<String>,
    /// Open members' names, head first.
    member_names: Vec<String>,
}

impl From<HouseholdSummary> for SearchItem {
    fn from(h: HouseholdSummary) -> SearchItem {
        SearchItem {
            id: h.id,
            head_name: h.head_name,
            head_id_number: h.head_id_number,
            township_name: h.township_name,
            village_name: h.village_name,
            group_name: h.group_name,
            address: h.address,
            hukou: h.hukou,
            phone: h.phone,
            member_names: h.member_names,
        }
    }
}

/// A household as every registry command shows it: its fields, open members, and history.
#[derive(Serialize, JsonSchema)]
pub(crate) struct HouseholdView {
    pub household: HouseholdDto,
    pub members: Vec<MemberDto>,
    pub history: Vec<MemberDto>,
}

impl HouseholdView {
    /// `all`: every membership of `h`, open ones first; ages on `today` (or at death).
    pub fn of(h: &Household, all: &[Membership], today: NaiveDate) -> HouseholdView {
        let (open, closed): (Vec<&Membership>, Vec<&Membership>) =
            all.iter().partition(|m| m.left_on.is_none());
        HouseholdView {
            household: HouseholdDto::from(h),
            members: open.into_iter().map(|m| MemberDto::of(m, today)).collect(),
            history: closed
                .into_iter()
                .map(|m| MemberDto::of(m, today))
                .collect(),
        }
    }
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct HouseholdDto {
    id: i64,
    village_id: i64,
    group_id: Option<i64>,
    township_id: i64,
    township_name: String,
    village_name: String,
    group_name: Option<String>,
    urban_rural: Option<String>,
    address: String,
    hukou: String,
    phone: Option<String>,
    bank_name: Option<String>,
    bank_account: Option<String>,
    head_id: Option<i64>,
    created_at: String,
    updated_at: String,
}

impl From<&Household> for HouseholdDto {
    fn from(h: &Household) -> HouseholdDto {
        let f = &h.facts;
        HouseholdDto {
            id: h.id,
            village_id: f.village_id,
            group_id: f.group_id,
            township_id: h.township_id,
            township_name: h.township_name.clone(),
            village_name: h.village_name.clone(),
            group_name: h.group_name.clone(),
            urban_rural: h.urban_rural.clone(),
            address: f.address.clone(),
            hukou: f.hukou.clone(),
            phone: f.phone.clone(),
            bank_name: f.bank_name.clone(),
            bank_account: f.bank_account.clone(),
            head_id: h.head_id,
            created_at: h.created_at.clone(),
            updated_at: h.updated_at.clone(),
        }
    }
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct MemberDto {
    membership_id: i64,
    person_id: i64,
    relation: String,
    joined_on: NaiveDate,
    left_on: Option<NaiveDate>,
    left_reason: Option<String>,
    id_number: String,
    name: String,
    sex: &'static str,
    birth_date: NaiveDate,
    age: i32,
    disability_type: Option<String>,
    disability_grade: Option<i64>,
    serious_illness: Option<String>,
    labour_capacity: String,
    self_care: String,
    student: Option<String>,
    employment: Option<String>,
    death_date: Option<NaiveDate>,
}

impl MemberDto {
    fn of(m: &Membership, today: NaiveDate) -> MemberDto {
        let f = &m.person.facts;
        let age_day = m.person.death_date.unwrap_or(today);
        MemberDto {
            membership_id: m.id,
            person_id: m.person.id,
            relation: m.relation.clone(),
            joined_on: m.joined_on,
            left_on: m.left_on,
            left_reason: m.left_reason.clone(),
            id_number: f.id_number.clone(),
            name: f.name.clone(),
            sex: f.sex.as_str(),
            birth_date: f.birth_date,
            age: registry::age_on(f.birth_date, age_day),
            disability_type: f.disability_type.clone(),
            disability_grade: f.disability_grade,
            serious_illness: f.serious_illness.clone(),
            labour_capacity: f.labour_capacity.clone(),
            self_care: f.self_care.clone(),
            student: f.student.clone(),
            employment: f.employment.clone(),
            death_date: m.person.death_date,
        }
    }
}
