//! Reads every generated PDF back (text through each font's ToUnicode map, and the font
//! resources) and asserts what a reader of the paper would see.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::fonts::{fonts, Face};
use super::*;

/// The text of each page, with the PDF's line breaks removed so that a name split over two
/// text runs (different fonts) still reads whole.
fn pages(pdf: &[u8]) -> Vec<String> {
    let doc = lopdf::Document::load_mem(pdf).expect("a readable PDF");
    doc.get_pages()
        .keys()
        .map(|&n| {
            doc.extract_text(&[n])
                .expect("text extracts")
                .replace(['\n', '\r'], "")
        })
        .collect()
}

/// The embedded font names (BaseFont of every font in the document).
fn font_names(pdf: &[u8]) -> BTreeSet<String> {
    let doc = lopdf::Document::load_mem(pdf).expect("a readable PDF");
    doc.objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"Font"))
        .filter_map(|d| d.get(b"BaseFont").and_then(|b| b.as_name()).ok())
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn every_character_of_the_general_standard_table_has_a_glyph_in_the_body_face() {
    let tgh = include_str!("../../fonts/charset-tgh.txt");
    assert_eq!(tgh.chars().count(), 8105);
    let missing: String = tgh
        .chars()
        .filter(|&c| !fonts().has_glyph(Face::Body, c))
        .collect();
    assert_eq!(missing, "");
}

#[test]
fn fallback_chain_picks_the_first_face_with_the_glyph() {
    let f = fonts();
    // 刘 is common: the title face has it. 䶮 (U+4DAE, level 3) is only in the body face.
    // 𠇔 (U+201D4, Extension B, not in 通用规范汉字表) is only in the fallback face.
    let check =
        |wanted, c, expected: Option<Face>| assert_eq!(f.face_for(wanted, c), expected, "{c}");
    check(Face::Title, '刘', Some(Face::Title));
    check(Face::Title, '䶮', Some(Face::Body));
    check(Face::Body, '䶮', Some(Face::Body));
    check(Face::Body, '𠇔', Some(Face::Fallback));
    check(Face::Title, '𠇔', Some(Face::Fallback));
    check(Face::Body, '\u{3134A}', None);
    assert!(!f.has_glyph(Face::Title, '䶮'));
    assert!(!f.has_glyph(Face::Body, '𠇔'));
    assert_eq!(
        f.runs(Face::Body, "王𠇔家"),
        vec![
            (Face::Body, "王".to_owned()),
            (Face::Fallback, "𠇔".to_owned()),
            (Face::Body, "家".to_owned())
        ]
    );
}

/// The trap the fallback chain exists for: printpdf given a font without a glyph drops the
/// character without a word. If this ever fails, printpdf changed and the chain may be revisited.
#[test]
fn printpdf_alone_silently_drops_a_character_its_font_lacks() {
    use printpdf::*;
    let mut doc = PdfDocument::new("trap");
    let id = doc.add_font(fonts().parsed(Face::Body));
    let ops = vec![
        Op::StartTextSection,
        Op::SetFont {
            font: PdfFontHandle::External(id),
            size: Pt(12.0),
        },
        Op::ShowText {
            items: vec![TextItem::Text("王𠇔".into())],
        },
        Op::EndTextSection,
    ];
    let page = PdfPage::new(Mm(210.0), Mm(297.0), ops);
    let pdf = doc
        .with_pages(vec![page])
        .save(&PdfSaveOptions::default(), &mut Vec::new());
    let text = pages(&pdf).concat();
    assert!(text.contains('王') && !text.contains('𠇔'), "{text}");
}

#[test]
fn notice_masks_ids_leaves_minors_off_and_shows_names_and_amounts() {
    let mut n = samples::notice(3);
    n.rows[0].name = "刘䶮".into();
    n.rows[0].id_number = Some("410526197203150038".into());
    n.rows[0].monthly_amount = "1170".into();
    n.rows[1].name = "王𠇔".into();
    // A child on the first day of the notice (turns 18 a day later): left off.
    n.rows[2].name = "赵小明".into();
    n.rows[2].birth_date = Some(day(2008, 11, 3));
    n.rows[2].id_number = Some("410526200811030015".into());
    let pdf = notice(&n).unwrap();
    let text = pages(&pdf).concat();
    for expected in [
        "刘䶮",
        "王𠇔",
        "4105**********0038",
        "1,170.00",
        "2026年11月2日至2026年11月8日",
        "0372-5551234",
        "清河县城关镇人民政府",
        "第 1 页 共 1 页",
    ] {
        assert!(text.contains(expected), "{expected} missing from {text}");
    }
    assert!(!text.contains("410526197203150038"), "an unmasked ID");
    assert!(!text.contains("赵小明"), "a minor on a 公示");
    assert!(
        !text.contains("4105**********0015"),
        "a minor's ID on a 公示"
    );
    // 王𠇔 needs the fallback face, and it is embedded.
    let faces = font_names(&pdf);
    assert!(
        faces.iter().any(|f| f.contains("NotoSansCJK")),
        "fallback face not embedded: {faces:?}"
    );
}

#[test]
fn a_minor_left_off_is_not_refused_for_a_character_no_font_has() {
    let mut n = samples::notice(2);
    n.rows[1].name = "张\u{3134A}".into();
    n.rows[1].birth_date = Some(day(2012, 5, 1));
    let text = pages(&notice(&n).unwrap()).concat();
    assert!(!text.contains('张') || !text.contains("\u{3134A}"));
}

#[test]
fn a_minor_known_only_by_the_id_number_is_left_off_too() {
    let mut n = samples::notice(2);
    n.rows[1].name = "钱小红".into();
    n.rows[1].birth_date = None;
    n.rows[1].id_number = Some("410526201505050024".into());
    let text = pages(&notice(&n).unwrap()).concat();
    assert!(!text.contains("钱小红"));
}

#[test]
fn two_thousand_rows_repeat_the_header_and_number_every_page() {
    let pdf = notice(&samples::notice(2000)).unwrap();
    let pages = pages(&pdf);
    // One-line rows at 10.5 pt in a 255 mm high column: 28 on the first page (below the title
    // and preamble), 33 under the repeated header on each later page: 28 + 59 × 33 + 25.
    assert_eq!(pages.len(), 61, "page count");
    // Names repeat every 144 rows; row 29 (陈桂兰) is the first on page 2.
    assert!(pages[0].contains("刘桂兰") && !pages[0].contains("陈桂兰"));
    assert!(pages[1].contains("陈桂兰"));
    assert!(pages[60].contains("2000"));
    let total = pages.len();
    for (i, p) in pages.iter().enumerate() {
        assert!(
            p.contains("月救助金额（元）"),
            "header missing on page {}",
            i + 1
        );
        assert!(p.contains("身份证号"), "header missing on page {}", i + 1);
        let footer = format!("第 {} 页 共 {} 页", i + 1, total);
        assert!(p.contains(&footer), "{footer}");
    }
    assert!(pages.concat().contains("监督举报电话"));
    assert!(pdf.len() <= 500 * 1024, "{} bytes", pdf.len());
}

#[test]
fn notice_refusals_say_what_is_wrong() {
    let check = |n: Notice, field: &str, needle: &str| {
        let e = notice(&n).unwrap_err();
        assert_eq!(e.field, field);
        assert!(e.message.contains(needle), "{}", e.message);
    };
    let mut n = samples::notice(1);
    n.rows.clear();
    check(n, "rows", "公示名单为空");

    let mut n = samples::notice(1);
    n.rows[0].birth_date = Some(day(2015, 1, 1));
    check(n, "rows", "均为未成年人");

    let mut n = samples::notice(1);
    n.period_to = day(2026, 11, 1);
    check(n, "period_to", "早于开始日期");

    let mut n = samples::notice(2);
    n.rows[1].name = "张\u{3134A}".into();
    check(n, "rows[1].name", "U+3134A");

    let mut n = samples::notice(2);
    n.complaint_address = "城关镇\u{3134A}路".into();
    check(n, "complaint_address", "不在内置字体中");

    let mut n = samples::notice(2);
    n.rows[1].monthly_amount = "一百".into();
    check(n, "rows[1].monthly_amount", "不是金额");

    let cmd: crate::CmdError = notice(&samples::notice(0)).unwrap_err().into();
    assert_eq!(cmd.code, crate::ErrorCode::InvalidInput);
    assert_eq!(cmd.field.as_deref(), Some("rows"));
}

#[test]
fn approval_form_prints_family_trail_and_sign_offs_on_one_page() {
    let f = samples::approval_form(AssistanceProgramme::Dibao);
    let pdf = approval_form(&f).unwrap();
    let pages = pages(&pdf);
    assert_eq!(pages.len(), 1);
    let text = &pages[0];
    for expected in [
        "清河县最低生活保障审批表",
        "刘䶮",
        "王𠇔",
        "410526197203150038",
        "9,600.00",
        "补差：660.00 × 3 − 810.00 = 1,170.00 元",
        "1,170.00",
        "调查人：赵德明、孙丽娟",
        "经办人意见",
        "乡镇（街道）审核意见",
        "县级民政部门审批意见",
        "（盖章）",
        "签名：孙丽娟",
        "第 1 页 共 1 页",
    ] {
        assert!(text.contains(expected), "{expected} missing from {text}");
    }
    assert!(pdf.len() <= 100 * 1024, "{} bytes", pdf.len());
}

#[test]
fn temp_aid_form_has_the_four_level_sign_off() {
    let f = samples::approval_form(AssistanceProgramme::TempAid);
    let text = pages(&approval_form(&f).unwrap()).concat();
    let order = [
        "经办人意见",
        "科室负责人意见",
        "乡镇（街道）负责人意见",
        "县级民政部门审批意见",
    ];
    let at: Vec<usize> = order.iter().map(|s| text.find(s).expect(s)).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
}

#[test]
fn approval_form_refuses_missing_data() {
    let check = |f: ApprovalForm, field: &str, needle: &str| {
        let e = approval_form(&f).unwrap_err();
        assert_eq!(e.field, field, "{}", e.message);
        assert!(e.message.contains(needle), "{}", e.message);
    };
    let base = || samples::approval_form(AssistanceProgramme::Dibao);
    let mut f = base();
    f.members.clear();
    check(f, "members", "缺少家庭成员");
    let mut f = base();
    f.family.head = " ".into();
    check(f, "family.head", "户主");
    let mut f = base();
    f.investigation.investigators.truncate(1);
    check(f, "investigation.investigators", "两名以上");
    let mut f = base();
    f.trail.clear();
    check(f, "trail", "核算过程");
    let mut f = base();
    f.sign_offs[0].role = SignOffRole::SectionHead;
    check(f, "sign_offs[0].role", "没有");
}

#[test]
fn deliberation_documents_carry_the_decision() {
    let a = samples::deliberation_application();
    let text = pages(&deliberation_application(&a).unwrap()).concat();
    for expected in [
        "一事一议",
        "陈海燕",
        "92,000",
        "6,968.00",
        "30,000.00 元",
        "拟纳入一事一议决策范围",
    ] {
        assert!(text.contains(expected), "{expected} missing from {text}");
    }
    let m = samples::meeting_minutes();
    let text = pages(&meeting_minutes(&m).unwrap()).concat();
    for expected in [
        "会议纪要",
        "卫健委",
        "修改后同意",
        "同意救助",
        "30,000.00",
        "慈善帮扶 10,000 元",
        "记录人",
    ] {
        assert!(text.contains(expected), "{expected} missing from {text}");
    }

    let mut m = samples::meeting_minutes();
    m.decision.amount = None;
    assert_eq!(meeting_minutes(&m).unwrap_err().field, "decision.amount");
    let mut m = samples::meeting_minutes();
    m.opinions[0].unit = "卫健委".into();
    assert_eq!(meeting_minutes(&m).unwrap_err().field, "opinions[0].unit");
}

#[test]
fn refusal_notice_gives_reasons_and_rights_of_appeal() {
    let r = samples::refusal_notice();
    let text = pages(&refusal_notice(&r).unwrap()).concat();
    for expected in [
        "最低生活保障不予批准通知书",
        "吴德明：",
        "一、经家庭经济状况核对",
        "二、你家庭月人均收入",
        "六十日内向清河县人民政府申请行政复议",
        "六个月内依法向清河县人民法院提起行政诉讼",
        "清河县民政局（盖章）",
    ] {
        assert!(text.contains(expected), "{expected} missing from {text}");
    }
    let mut r = samples::refusal_notice();
    r.reasons = vec![" ".into()];
    assert_eq!(refusal_notice(&r).unwrap_err().field, "reasons");
}

#[test]
fn long_text_wraps_inside_its_cell_and_never_overflows() {
    use super::layout::{wrap, Style};
    let style = Style::body(10.5);
    let text = "经入户调查，该户住房为自建砖木结构平房三间，无机动车辆。".repeat(5)
        + " ABCDEFGHIJ1234567890";
    let lines = wrap(&text, style, 120.0);
    assert!(lines.len() > 5);
    for l in &lines {
        assert!(
            fonts().width(style.face, l, style.size) <= 120.0 + 0.01,
            "{l}"
        );
        assert!(!l.starts_with('，') && !l.starts_with('。'), "{l}");
    }
    assert_eq!(lines.concat().replace(' ', ""), text.replace(' ', ""));
}

#[test]
fn write_atomically_leaves_the_whole_file_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("公示.pdf");
    write_atomically(&path, b"%PDF-1.7 first").unwrap();
    write_atomically(&path, b"%PDF-1.7 second").unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"%PDF-1.7 second");
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1, "a temporary file was left behind");

    let missing = dir.path().join("no-such-dir").join("审批表.pdf");
    let e = write_atomically(&missing, b"x").unwrap_err();
    assert_eq!(e.field, "path");
    assert!(e.message.contains("无法保存文件"), "{}", e.message);
    assert!(!missing.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}
