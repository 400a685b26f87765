//! The Chinese words for codes that reach people: audit actions that are not commands (a
//! command's own label is its row in `commands::COMMANDS`), the kinds of things an audit row is
//! about, every state of every case kind (from the workflow enums, never copied), and the fields
//! an audit row's before/after carry. Pure: no SQL, no clock.
//!
//! # Entry points
//! - [`audit_action_label`]`(code)`: what an audit row records under a name that is no command.
//! - [`entity_label`]`(code)`: 家庭, 案件, 一事一议案件 … (`None` for an unknown code).
//! - [`STATE_KINDS`] and [`state_label`]`(entity, code)`: the states of each kind of record.
//! - [`field_label`]`(key)`: the words for a key of an audit row's before/after.

use crate::workflow::deliberation::{meeting_state_label, DelibState};
use crate::workflow::temp::TempState;
use crate::workflow::CaseState;

/// Audit rows written under a name that is not a command: (code, label).
pub const AUDIT_ACTIONS: &[(&str, &str)] = &[
    ("auth.sign_in_failed", "登录失败"),
    ("case.import", "导入案件"),
    ("document", "生成文书"),
];

/// The label of an audit action that is not a command.
pub fn audit_action_label(code: &str) -> Option<&'static str> {
    AUDIT_ACTIONS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
}

/// What an audit row is about: (entity code, label).
pub const ENTITIES: &[(&str, &str)] = &[
    ("household", "家庭"),
    ("person", "人员"),
    ("membership", "成员关系"),
    ("user", "用户"),
    ("area", "区划"),
    ("database", "数据库"),
    ("standard", "保障标准"),
    ("setting", "设置"),
    ("calendar_day", "工作日历"),
    ("near_relative", "近亲属备案"),
    ("case", "低保/特困案件"),
    ("temp_aid_case", "临时救助案件"),
    ("deliberation_case", "一事一议案件"),
    ("meeting", "协调会议"),
    ("aid_case", "案件"),
    ("reserve_fund_entry", "备用金"),
    ("payment_run", "月度发放"),
    ("payment_adjustment", "发放更正"),
    ("payment_grant", "一次性补贴"),
    ("recompute_batch", "调标批次"),
    ("ledger_import", "台账导入"),
];

pub fn entity_label(code: &str) -> Option<&'static str> {
    ENTITIES.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

/// One kind of record with states: its entity code, its label and its states (code, label).
pub struct StateKind {
    pub entity: &'static str,
    pub label: &'static str,
    pub states: fn() -> Vec<(&'static str, &'static str)>,
}

const RUN_STATES: &[&str] = &["open", "locked"];
const MEETING_STATES: &[&str] = &["open", "closed"];

/// Every kind of record that moves through states, the three case kinds first.
pub const STATE_KINDS: &[StateKind] = &[
    StateKind {
        entity: "case",
        label: "低保/特困案件",
        states: || {
            CaseState::ALL
                .iter()
                .map(|s| (s.as_str(), s.label()))
                .collect()
        },
    },
    StateKind {
        entity: "temp_aid_case",
        label: "临时救助案件",
        states: || {
            TempState::ALL
                .iter()
                .map(|s| (s.as_str(), s.label()))
                .collect()
        },
    },
    StateKind {
        entity: "deliberation_case",
        label: "一事一议案件",
        states: || {
            DelibState::ALL
                .iter()
                .map(|s| (s.as_str(), s.label()))
                .collect()
        },
    },
    StateKind {
        entity: "meeting",
        label: "协调会议",
        states: || {
            MEETING_STATES
                .iter()
                .map(|s| (*s, meeting_state_label(s)))
                .collect()
        },
    },
    StateKind {
        entity: "payment_run",
        label: "月度发放",
        states: || {
            RUN_STATES
                .iter()
                .map(|s| (*s, crate::payrun::run_state_label(s)))
                .collect()
        },
    },
    StateKind {
        entity: "recompute_batch",
        label: "调标批次",
        states: || {
            crate::recompute::BATCH_STATES
                .iter()
                .map(|s| (*s, crate::recompute::batch_state_label(s)))
                .collect()
        },
    },
];

/// The label of a state of a record of kind `entity` (`None` for an unknown kind or code).
pub fn state_label(entity: &str, code: &str) -> Option<&'static str> {
    let kind = STATE_KINDS.iter().find(|k| k.entity == entity)?;
    (kind.states)()
        .into_iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| l)
}

/// The label of a state code of a 低保/特困, 临时救助 or 一事一议 case, whichever knows it first.
pub fn any_case_state_label(code: &str) -> Option<&'static str> {
    STATE_KINDS[..3]
        .iter()
        .find_map(|k| state_label(k.entity, code))
}

/// The words for the keys of audit rows' before/after, in the order lines are shown.
pub const FIELDS: &[(&str, &str)] = &[
    ("state", "状态"),
    ("action", "办理步骤"),
    ("number", "编号"),
    ("programme", "救助项目"),
    ("month", "月份"),
    ("from_month", "起始月份"),
    ("village_id", "村（社区）"),
    ("group_id", "组"),
    ("township_id", "乡镇（街道）"),
    ("parent_id", "上级区划"),
    ("address", "住址"),
    ("hukou", "户籍"),
    ("phone", "联系电话"),
    ("bank_name", "开户银行"),
    ("bank_account", "银行账号"),
    ("account_name", "户名"),
    ("head_id", "户主"),
    ("old_head_relation", "原户主关系"),
    ("name", "名称"),
    ("id_number", "身份证号"),
    ("display_name", "姓名"),
    ("username", "用户名"),
    ("role", "角色"),
    ("area_id", "所属单位"),
    ("active", "启用"),
    ("code", "代码"),
    ("level", "级别"),
    ("urban_rural", "城乡"),
    ("relation", "关系"),
    ("joined_on", "入户日期"),
    ("left_on", "迁出日期"),
    ("reason", "原因"),
    ("death_date", "死亡日期"),
    ("household_id", "家庭"),
    ("person_id", "人员"),
    ("case_id", "案件"),
    ("sex", "性别"),
    ("birth_date", "出生日期"),
    ("disability_type", "残疾类别"),
    ("disability_grade", "残疾等级"),
    ("serious_illness", "重病"),
    ("labour_capacity", "劳动能力"),
    ("self_care", "自理能力"),
    ("student", "在读"),
    ("employment", "就业"),
    ("incomes", "收入"),
    ("expenditures", "刚性支出"),
    ("assets", "财产"),
    ("key", "标准项"),
    ("scope", "范围"),
    ("effective_from", "生效日期"),
    ("value", "值"),
    ("staff_name", "备案人"),
    ("staff_post", "职务"),
    ("relative_name", "近亲属姓名"),
    ("relative_id_number", "近亲属身份证号"),
    ("declared_on", "备案日期"),
    ("withdrawn_on", "撤销日期"),
    ("user_id", "系统用户"),
    ("date", "日期"),
    ("kind", "类型"),
    ("note", "说明"),
    ("amount", "金额"),
    ("total", "合计"),
    ("data", "办理内容"),
    ("dest", "备份文件"),
    ("path", "文件"),
    ("file", "文件名"),
    ("sha256", "文件摘要"),
    ("format", "格式"),
    ("rows", "条数"),
    ("notice_days", "公示天数"),
    ("approval_workdays", "县级审批时限"),
    ("procedure_workdays", "办理总时限"),
    ("refusal_notice_workdays", "不予批准告知时限"),
    ("tekun_survey_workdays", "特困调查时限"),
    ("temp_procedure_workdays", "临时救助办理时限"),
    ("temp_paperwork_workdays", "临时救助补办手续时限"),
    ("notice_day_kind", "公示天数计法"),
    ("must_change_password", "须修改密码"),
    ("applied_on", "申请日期"),
    ("approved_on", "审批日期"),
    ("at", "时间"),
    ("start", "开始日期"),
    ("end", "结束日期"),
    ("days", "天数"),
    ("entry_on", "登记日期"),
    ("paid_on", "发放日期"),
    ("visited_on", "回访日期"),
    ("held_on", "会议日期"),
    ("pay_from", "起发月份"),
    ("first_paid_month", "首次发放月份"),
    ("months", "月份"),
    ("back_pay_in", "补发计入月份"),
    ("id", "编号"),
    ("no", "序号"),
    ("row", "行号"),
    ("header_row", "表头行"),
    ("head", "户主"),
    ("members", "成员"),
    ("person_name", "姓名"),
    ("persons", "保障人数"),
    ("payee", "收款人"),
    ("case", "案件"),
    ("cases", "案件"),
    ("repeat_of", "同一事由的案件"),
    ("near_relative_filed", "近亲属备案"),
    ("support_mode", "供养方式"),
    ("cause", "救助事由"),
    ("description", "情况说明"),
    ("special_matter", "特殊事项"),
    ("summary", "内容摘要"),
    ("findings", "调查情况"),
    ("investigators", "调查人员"),
    ("opinion", "意见"),
    ("commitment", "承诺事项"),
    ("paper_ref", "书面意见编号"),
    ("reasons", "理由"),
    ("withdrawal_reason", "撤回理由"),
    ("which", "导出范围"),
    ("count", "件数"),
    ("batch", "批量核查"),
    ("reason_label", "原因"),
    ("why", "原因"),
    ("review_class", "动态管理类别"),
    ("grace_months", "渐退期（月）"),
    ("source", "来源"),
    ("document", "文书"),
    ("reference", "凭证号"),
    ("method", "方式"),
    ("exempt", "不计入"),
    ("exempt_reason", "不计入原因"),
    ("period", "周期"),
    ("annual_amount", "每年金额"),
    ("deposits", "存款"),
    ("vehicles", "车辆（辆）"),
    ("extra_housing", "其他住房（套）"),
    ("eating", "进食"),
    ("dressing", "穿衣"),
    ("getting_up", "起床"),
    ("toileting", "如厕"),
    ("walking_indoors", "室内行走"),
    ("bathing", "洗澡"),
    ("proposed_amount", "拟救助金额"),
    ("measures", "救助措施"),
    ("responsible_units", "责任单位"),
    ("decision", "决定"),
    ("decision_label", "决定"),
    ("meeting_id", "会议"),
    ("place", "会议地点"),
    ("chair", "主持人"),
    ("recorder", "记录人"),
    ("minutes", "会议纪要"),
    ("units", "成员单位"),
    ("unit", "成员单位"),
    ("user_units", "成员单位用户"),
    ("representative", "代表"),
    ("quorum", "出席规则"),
    ("majority", "表决规则"),
    ("expected", "应到"),
    ("present", "出席"),
    ("agree", "同意"),
    ("agree_with_changes", "修改后同意"),
    ("disagree", "不同意"),
    ("deferred", "移出议程"),
    ("outcome", "结果"),
    ("visitor", "回访人"),
    ("stage", "阶段"),
    ("stage_no", "阶段"),
    ("stage_nos", "阶段"),
    ("stages", "分阶段发放"),
    ("paid", "已发放"),
    ("paid_in_run", "月度发放支付"),
    ("payments", "笔数"),
    ("added", "新增笔数"),
    ("differences", "变化"),
    ("reviewed", "已审核"),
    ("held", "暂缓发放"),
    ("failed", "失败"),
    ("sent", "已报送"),
    ("status", "状态"),
    ("balance", "余额"),
    ("back_pay", "补发金额"),
    ("monthly_change", "每月变化"),
    ("unchanged", "金额不变"),
    ("skipped", "未调整"),
    ("items", "事项"),
    ("imported", "导入条数"),
    ("invalid_rows", "无效行数"),
    ("params", "参数"),
    ("filter", "筛选条件"),
    ("label", "名称"),
    ("multiple", "倍数"),
    ("below", "人均收入低于（标准的倍数）"),
    ("pay", "补差（标准的倍数）"),
    ("cap", "上限（标准的倍数）"),
    ("cap_on", "上限按"),
    ("cpi_rise", "CPI 同比涨幅（%）"),
    ("food_rise", "食品价格同比涨幅（%）"),
    ("for", "发放对象"),
];

/// The words for a key, or `None` when no table names it.
pub fn field_label(key: &str) -> Option<&'static str> {
    FIELDS.iter().find(|(k, _)| *k == key).map(|(_, l)| *l)
}

/// Where a key stands in [`FIELDS`] (unknown keys last).
pub fn field_rank(key: &str) -> usize {
    FIELDS
        .iter()
        .position(|(k, _)| *k == key)
        .unwrap_or(FIELDS.len())
}

/// Whether `text` carries at least one Chinese character (a label, not a code).
pub fn is_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}
