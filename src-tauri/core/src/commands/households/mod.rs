//! The household registry's commands: search, view, register, change, and membership history.
//!
//! Membership changes are in `members.rs`.
//! Township staff see and change only their own township's households; county staff see all.
//! Member-unit representatives have no access to the registry.

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Deserialize;
use serde_json::{json, Value};

mod reply;

pub(crate) use reply::{choice_list, ChoiceDto, HouseholdView};
use reply::{ChoicesReply, ExistingPerson, IdCheckReply, SearchItem, SearchReply};

use super::{input, Session, Stamp};
use crate::auth::{Role, User};
use crate::db::with_tx;
use crate::error::{CmdError, CmdResult};
use crate::registry::{self, HouseholdFacts, PersonFacts, RawHousehold, RawPerson};
use crate::store::areas::Level;
use crate::store::registry::{Household, SearchQuery};
use crate::store::{self};
use crate::{idcard, pinyin_index};

pub(super) const READ: &[Role] = &[
    Role::Caseworker,
    Role::Reviewer,
    Role::Approver,
    Role::Admin,
];
pub(super) const WRITE: &[Role] = &[Role::Caseworker, Role::Reviewer, Role::Admin];

pub(crate) fn choices(s: &mut Session, _: Value) -> CmdResult<ChoicesReply> {
    s.user()?;
    Ok(ChoicesReply {
        hukou: choice_list(registry::HUKOU),
        relations: choice_list(registry::RELATIONS),
        disability_types: choice_list(registry::DISABILITY_TYPES),
        labour_capacity: choice_list(registry::LABOUR_CAPACITY),
        self_care: choice_list(registry::SELF_CARE),
        student: choice_list(registry::STUDENT),
        employment: choice_list(registry::EMPLOYMENT),
        leave_reasons: choice_list(registry::LEAVE_REASONS),
        income_kinds: choice_list(registry::INCOME_KINDS),
        income_periods: choice_list(registry::INCOME_PERIODS),
        expenditure_kinds: choice_list(registry::EXPENDITURE_KINDS),
    })
}

/// Township staff are confined to their township.
fn check_scope(user: &User, township_id: i64, township_name: &str) -> CmdResult<()> {
    if user.role.works_in_township() && user.area_id != township_id {
        return Err(CmdError::forbidden(format!(
            "该户属于{township_name}，您只能查看和办理本乡镇（街道）的家庭"
        )));
    }
    Ok(())
}

pub(super) fn load_household(
    s: &Session,
    id: i64,
    roles: &[Role],
    what: &str,
) -> CmdResult<Household> {
    let user = s.require(roles, what)?;
    let h = store::registry::household(&s.conn, id)?
        .ok_or_else(|| CmdError::not_found(format!("家庭 {id} 不存在")))?;
    check_scope(user, h.township_id, &h.township_name)?;
    Ok(h)
}

// ---- inputs ----

#[derive(Deserialize, Default)]
pub(crate) struct PersonIn {
    pub id_number: String,
    pub name: String,
    pub disability_type: Option<String>,
    pub disability_grade: Option<i64>,
    pub serious_illness: Option<String>,
    pub labour_capacity: Option<String>,
    pub self_care: Option<String>,
    pub student: Option<String>,
    pub employment: Option<String>,
    /// Relation to the head: required for members, ignored for the head.
    pub relation: Option<String>,
}

impl PersonIn {
    fn raw(&self) -> RawPerson<'_> {
        RawPerson {
            id_number: &self.id_number,
            name: &self.name,
            disability_type: self.disability_type.as_deref(),
            disability_grade: self.disability_grade,
            serious_illness: self.serious_illness.as_deref(),
            labour_capacity: self.labour_capacity.as_deref(),
            self_care: self.self_care.as_deref(),
            student: self.student.as_deref(),
            employment: self.employment.as_deref(),
        }
    }

    pub fn validate(&self, today: NaiveDate) -> CmdResult<PersonFacts> {
        registry::validate_person(&self.raw(), today)
    }
}

#[derive(Deserialize)]
pub(crate) struct HouseholdIn {
    pub village_id: i64,
    pub group_id: Option<i64>,
    pub address: String,
    pub hukou: String,
    pub phone: Option<String>,
    pub bank_name: Option<String>,
    pub bank_account: Option<String>,
}

impl HouseholdIn {
    fn validate(&self, conn: &Connection, user: &User) -> CmdResult<HouseholdFacts> {
        let facts = registry::validate_household(&RawHousehold {
            village_id: self.village_id,
            group_id: self.group_id,
            address: &self.address,
            hukou: &self.hukou,
            phone: self.phone.as_deref(),
            bank_name: self.bank_name.as_deref(),
            bank_account: self.bank_account.as_deref(),
        })?;
        let village = store::areas::get(conn, facts.village_id)?
            .filter(|a| a.level == Level::Village)
            .ok_or_else(|| CmdError::invalid("village_id", "请选择所在村（社区）"))?;
        if !village.active {
            return Err(CmdError::invalid(
                "village_id",
                format!("{}已停用，不能登记新家庭", village.name),
            ));
        }
        if let Some(g) = facts.group_id {
            let ok = store::areas::get(conn, g)?
                .is_some_and(|a| a.level == Level::Group && a.parent_id == Some(village.id));
            if !ok {
                return Err(CmdError::invalid(
                    "group_id",
                    format!("所选的组不属于{}", village.name),
                ));
            }
        }
        let township_id = village.parent_id.unwrap_or_default();
        let township = store::areas::get(conn, township_id)?
            .map(|a| a.name)
            .unwrap_or_default();
        check_scope(user, township_id, &township)?;
        Ok(facts)
    }
}

pub(super) use crate::registry::{check_day, check_relation};

/// The audit form of a household's own fields.
fn facts_json(f: &HouseholdFacts) -> Value {
    json!({
        "village_id": f.village_id, "group_id": f.group_id, "address": f.address, "hukou": f.hukou,
        "phone": f.phone, "bank_name": f.bank_name, "bank_account": f.bank_account,
    })
}

/// The audit form of a person's facts.
pub(super) fn person_json(f: &PersonFacts) -> Value {
    json!({
        "id_number": f.id_number, "name": f.name, "sex": f.sex.as_str(), "birth_date": f.birth_date,
        "disability_type": f.disability_type, "disability_grade": f.disability_grade,
        "serious_illness": f.serious_illness, "labour_capacity": f.labour_capacity, "self_care": f.self_care,
        "student": f.student, "employment": f.employment,
    })
}

/// The household as it is now, after a change.
pub(super) fn view(s: &Session, id: i64) -> CmdResult<HouseholdView> {
    let h = load_household(s, id, READ, "查看家庭")?;
    let all = store::registry::memberships(&s.conn, h.id)?;
    Ok(HouseholdView::of(&h, &all, s.clock.today()))
}

// ---- commands ----

pub(crate) fn id_check(s: &mut Session, v: Value) -> CmdResult<IdCheckReply> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct In {
        id_number: String,
    }
    s.require(READ, "查询身份证号")?;
    let i: In = input(v)?;
    let today = s.clock.today();
    let id = idcard::parse(&i.id_number, today)?;
    let existing = match store::registry::person_by_id_number(&s.conn, &id.text)? {
        Some(p) => {
            let active = store::registry::active_membership(&s.conn, p.id)?;
            Some(ExistingPerson {
                person_id: p.id,
                name: p.facts.name,
                household_id: active.map(|(_, h)| h),
                death_date: p.death_date,
            })
        }
        None => None,
    };
    Ok(IdCheckReply {
        age: registry::age_on(id.birth_date, today),
        id_number: id.text,
        birth_date: id.birth_date,
        sex: id.sex.as_str(),
        existing,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SearchIn {
    #[serde(default)]
    q: String,
    township_id: Option<i64>,
    village_id: Option<i64>,
    page: Option<i64>,
    page_size: Option<i64>,
}

pub(crate) fn search(s: &mut Session, v: Value) -> CmdResult<SearchReply> {
    let user = s.require(READ, "查看家庭")?.clone();
    let i: SearchIn = input(v)?;
    let page = i.page.unwrap_or(1);
    if page < 1 {
        return Err(CmdError::invalid("page", "页码从 1 开始"));
    }
    let page_size = i.page_size.unwrap_or(20);
    if !(1..=200).contains(&page_size) {
        return Err(CmdError::invalid("page_size", "每页条数应在 1–200 之间"));
    }
    let q = &i.q;
    let needle = registry::search_needle(q);
    let township_id = if user.role.works_in_township() {
        if i.township_id.is_some_and(|t| t != user.area_id) {
            return Err(CmdError::forbidden("您只能查看本乡镇（街道）的家庭"));
        }
        Some(user.area_id)
    } else {
        i.township_id
    };
    let query = SearchQuery {
        needle,
        township_id,
        village_id: i.village_id,
        offset: (page - 1) * page_size,
        limit: page_size,
    };
    let (total, items) = store::registry::search(&s.conn, &query)?;
    Ok(SearchReply {
        total,
        page,
        page_size,
        pages: (total + page_size - 1) / page_size,
        items: items.into_iter().map(SearchItem::from).collect(),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IdIn {
    id: i64,
}

pub(crate) fn get(s: &mut Session, v: Value) -> CmdResult<HouseholdView> {
    let i: IdIn = input(v)?;
    view(s, i.id)
}

/// Open a membership for a person, registering them if new. Refuses a person who is an open
/// member elsewhere or deceased. Returns the person id.
pub(crate) fn enrol_person(
    tx: &Connection,
    stamp: &Stamp,
    command: &str,
    household_id: i64,
    facts: &PersonFacts,
    relation: &str,
    joined_on: NaiveDate,
) -> CmdResult<i64> {
    let initials = pinyin_index::index_text(&facts.name);
    let person_id = match store::registry::person_by_id_number(tx, &facts.id_number)? {
        None => {
            let id = store::registry::insert_person(tx, facts, &initials, &stamp.at)?;
            stamp.record(
                tx,
                command,
                "person",
                Some(id),
                None,
                Some(&person_json(facts)),
            )?;
            id
        }
        Some(p) => {
            if let Some(d) = p.death_date {
                return Err(CmdError::conflict(
                    "id_number",
                    format!(
                        "身份证号 {} 的 {} 已于 {d} 登记死亡，不能再加入家庭",
                        facts.id_number, p.facts.name
                    ),
                ));
            }
            if let Some((_, hid)) = store::registry::active_membership(tx, p.id)? {
                let where_ = store::registry::household(tx, hid)?
                    .map(|h| format!("{}{}（户编号 {hid}）", h.township_name, h.village_name))
                    .unwrap_or_default();
                return Err(CmdError::conflict(
                    "id_number",
                    format!(
                        "身份证号 {} 的 {} 已是{where_}的在册成员，请先在原户办理迁出",
                        facts.id_number, p.facts.name
                    ),
                ));
            }
            if &p.facts != facts {
                store::registry::update_person(tx, p.id, facts, &initials, &stamp.at)?;
                stamp.record(
                    tx,
                    command,
                    "person",
                    Some(p.id),
                    Some(&person_json(&p.facts)),
                    Some(&person_json(facts)),
                )?;
            }
            p.id
        }
    };
    let mid = store::registry::add_membership(tx, household_id, person_id, relation, joined_on)?;
    stamp.record(
        tx,
        command,
        "membership",
        Some(mid),
        None,
        Some(&json!({"household_id": household_id, "person_id": person_id, "relation": relation, "joined_on": joined_on})),
    )?;
    Ok(person_id)
}

/// Register a household with its head and members, all in the caller's transaction.
pub(crate) fn insert_household(
    tx: &Connection,
    stamp: &Stamp,
    facts: &HouseholdFacts,
    head: &PersonFacts,
    members: &[(String, PersonFacts)],
    joined_on: NaiveDate,
) -> CmdResult<i64> {
    let hid = store::registry::insert_household(tx, facts, &stamp.at)?;
    stamp.record(
        tx,
        "household.create",
        "household",
        Some(hid),
        None,
        Some(&facts_json(facts)),
    )?;
    let head_id = enrol_person(tx, stamp, "household.create", hid, head, "head", joined_on)
        .map_err(|e| prefix_field(e, "head"))?;
    store::registry::set_head(tx, hid, Some(head_id), &stamp.at)?;
    for (i, (relation, person)) in members.iter().enumerate() {
        enrol_person(
            tx,
            stamp,
            "household.create",
            hid,
            person,
            relation,
            joined_on,
        )
        .map_err(|e| prefix_field(e, &format!("members[{i}]")))?;
    }
    Ok(hid)
}

use registry::prefix_field;

/// Household fields are read from the same object on their own: serde's `flatten` would lose the
/// path of a malformed field, and the error must name it.
#[derive(Deserialize)]
struct CreateIn {
    head: PersonIn,
    #[serde(default)]
    members: Vec<PersonIn>,
    joined_on: Option<NaiveDate>,
}

pub(crate) fn create(s: &mut Session, v: Value) -> CmdResult<HouseholdView> {
    let user = s.require(WRITE, "登记家庭")?.clone();
    let household: HouseholdIn = input(v.clone())?;
    let i: CreateIn = input(v)?;
    let today = s.clock.today();
    let facts = household.validate(&s.conn, &user)?;
    let head = i
        .head
        .validate(today)
        .map_err(|e| prefix_field(e, "head"))?;
    let raw: Vec<_> = i
        .members
        .iter()
        .map(|m| (m.relation.as_deref(), m.raw()))
        .collect();
    let members = registry::household_members(&head, &raw, today)?;
    let joined_on = i.joined_on.unwrap_or(today);
    check_day("joined_on", "入户日期", joined_on, today)?;
    let stamp = Stamp::of(s)?;
    let hid = with_tx(&mut s.conn, |tx| {
        insert_household(tx, &stamp, &facts, &head, &members, joined_on)
    })?;
    view(s, hid)
}

#[derive(Deserialize)]
struct UpdateIn {
    id: i64,
}

pub(crate) fn update(s: &mut Session, v: Value) -> CmdResult<HouseholdView> {
    let household: HouseholdIn = input(v.clone())?;
    let i: UpdateIn = input(v)?;
    let old = load_household(s, i.id, WRITE, "修改家庭信息")?;
    let user = s.user()?.clone();
    let facts = household.validate(&s.conn, &user)?;
    let stamp = Stamp::of(s)?;
    with_tx(&mut s.conn, |tx| {
        store::registry::update_household(tx, i.id, &facts, &stamp.at)?;
        stamp.record(
            tx,
            "household.update",
            "household",
            Some(i.id),
            Some(&facts_json(&old.facts)),
            Some(&facts_json(&facts)),
        )
    })?;
    view(s, i.id)
}
