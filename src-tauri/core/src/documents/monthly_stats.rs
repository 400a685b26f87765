//! The monthly statistics as PDF: the table by township × programme × urban/rural, the persons'
//! structure, 临时救助 / 一事一议 with every route money was paid by, the spending split, and a
//! chart of the last twelve months (spending as bars, persons as a line) drawn with the layout's
//! strokes.

use super::layout::{Align, Cell, Layout, Margins, Row, Style, Table};
use super::DocResult;
use crate::programme::Programme;
use crate::rules::money::yuan_text;
use crate::stats::{
    route_label, urban_rural_label, wan, Report, MAIN_HEADS, SPLIT_LABELS, STRUCTURE_HEADS,
};

const SMALL: Style = Style::body(9.0);

fn header(heads: &[&str]) -> Row {
    Row::new(heads.iter().map(|h| Cell::center(*h)).collect())
}

fn nums(values: &[i64]) -> Vec<Cell> {
    values.iter().map(|v| Cell::right(v.to_string())).collect()
}

pub fn monthly_stats(r: &Report) -> DocResult<Vec<u8>> {
    let mut l = Layout::new(&r.title(), Margins::form());
    l.paragraph(&r.title(), Style::title(16.0), Align::Center, 0.0);
    l.space(4.0);
    l.two_sided(
        &format!("发放月份：{}（{}）", r.month, r.state_label),
        "单位：户、人、元、万元",
        SMALL,
    );
    l.space(4.0);
    // 1. By township × programme × urban/rural.
    l.paragraph("一、分乡镇保障情况", Style::title(11.0), Align::Left, 0.0);
    let main = Table {
        weights: vec![2.2, 1.0, 1.0, 1.0, 1.0, 1.3, 1.3, 1.8, 1.4],
        style: SMALL,
        header: Some(header(&MAIN_HEADS)),
    };
    let mut rows: Vec<Row> = r
        .lines
        .iter()
        .map(|x| {
            let c = &x.cell;
            let mut cells = vec![
                Cell::new(x.township.clone()),
                Cell::center(Programme::label_of(&x.programme)),
                Cell::center(urban_rural_label(&x.urban_rural)),
            ];
            cells.extend(nums(&[c.households, c.persons, c.new, c.exits]));
            cells.push(Cell::right(yuan_text(c.amount_fen)));
            cells.push(Cell::right(wan(c.amount_fen)));
            Row::new(cells)
        })
        .collect();
    let t = &r.total;
    let mut total = vec![Cell::label("合计").span(3)];
    total.extend(nums(&[t.households, t.persons, t.new, t.exits]));
    total.push(Cell::right(yuan_text(t.amount_fen)));
    total.push(Cell::right(wan(t.amount_fen)));
    rows.push(Row::new(total));
    l.table(&main, &rows);
    l.space(8.0);
    // 2. Structure of the persons.
    l.paragraph(
        "二、保障对象结构（保障家庭在册成员，按月末年龄）",
        Style::title(11.0),
        Align::Left,
        0.0,
    );
    let structure = Table {
        weights: vec![1.2, 1.0, 0.8, 0.8, 1.0, 1.0, 1.0, 1.0, 1.0, 1.1, 1.0, 1.0],
        style: SMALL,
        header: Some(header(&STRUCTURE_HEADS)),
    };
    let rows: Vec<Row> = r
        .structure_rows()
        .into_iter()
        .map(|(label, values)| {
            let mut cells = vec![Cell::center(label)];
            cells.extend(nums(&values));
            Row::new(cells)
        })
        .collect();
    l.table(&structure, &rows);
    l.space(8.0);
    // 3. 临时救助, 一事一议 and the spending split.
    l.paragraph(
        "三、临时救助、一事一议和支出构成",
        Style::title(11.0),
        Align::Left,
        0.0,
    );
    let other = Table {
        weights: vec![4.0, 1.2, 1.2, 1.8, 1.4],
        style: SMALL,
        header: Some(header(&[
            "项目",
            "人次（笔）",
            "户数",
            "金额（元）",
            "金额（万元）",
        ])),
    };
    let mut rows = vec![];
    for (label, o) in [("临时救助", &r.temp_aid), ("一事一议", &r.deliberation)] {
        let mut cells = vec![Cell::new(label)];
        cells.extend(nums(&[o.payments, o.households]));
        cells.push(Cell::right(yuan_text(o.amount_fen)));
        cells.push(Cell::right(wan(o.amount_fen)));
        rows.push(Row::new(cells));
    }
    for x in &r.routes {
        let mut cells = vec![Cell::new(format!(
            "发放途径：{}·{}",
            route_label(&x.route),
            Programme::label_of(&x.programme)
        ))];
        cells.extend(nums(&[x.payments, x.households]));
        cells.push(Cell::right(yuan_text(x.amount_fen)));
        cells.push(Cell::right(wan(x.amount_fen)));
        rows.push(Row::new(cells));
    }
    for (label, fen) in SPLIT_LABELS.iter().zip(r.split) {
        rows.push(Row::new(vec![
            Cell::new(format!("支出：{label}")).span(3),
            Cell::right(yuan_text(fen)),
            Cell::right(wan(fen)),
        ]));
    }
    rows.push(Row::new(vec![
        Cell::label("本月支出合计").span(3),
        Cell::right(yuan_text(r.total_fen)),
        Cell::right(wan(r.total_fen)),
    ]));
    l.table(&other, &rows);
    l.space(10.0);
    chart(&mut l, r);
    l.space(14.0);
    l.two_sided(
        "填表人：",
        "审核人：            填报日期：",
        Style::body(10.5),
    );
    Ok(l.into_pdf())
}

/// 四、近 12 个月: bars of spending (万元, left axis) and a line of persons (right axis).
fn chart(l: &mut Layout, r: &Report) {
    let title = Style::title(11.0);
    let height = 230.0;
    l.keep(height + title.line_height());
    l.paragraph(
        "四、近12个月支出和保障人数（柱：支出，万元；折线：保障人数，人）",
        title,
        Align::Left,
        0.0,
    );
    let (left, top, width) = l.region(height);
    let (pad_l, pad_r, pad_t, pad_b) = (46.0, 40.0, 12.0, 34.0);
    let (x0, x1) = (left + pad_l, left + width - pad_r);
    let (y_top, y_base) = (top + pad_t, top + height - pad_b);
    let plot_h = y_base - y_top;
    let max_fen = r
        .series
        .iter()
        .filter_map(|(_, t)| t.as_ref().map(|t| t.amount_fen))
        .max()
        .unwrap_or(0);
    let max_persons = r
        .series
        .iter()
        .filter_map(|(_, t)| t.as_ref().map(|t| t.persons))
        .max()
        .unwrap_or(0);
    let (fen_top, fen_step) = nice_top(max_fen as f64 / 1_000_000.0);
    let (persons_top, _) = nice_top(max_persons as f64);
    let axis = Style::body(7.5);
    // Grid and axes.
    let mut v = 0.0;
    while v <= fen_top + 1e-9 {
        let y = y_base - (v / fen_top) as f32 * plot_h;
        l.stroke((x0, y), (x1, y), 0.3, if v == 0.0 { 0.0 } else { 0.8 });
        l.label(x0 - 4.0, y - 5.0, axis, &trim(v), Align::Right);
        let persons = v / fen_top * persons_top;
        l.label(
            x1 + 4.0,
            y - 5.0,
            axis,
            &format!("{persons:.0}"),
            Align::Left,
        );
        v += fen_step;
    }
    l.stroke((x0, y_top), (x0, y_base), 0.5, 0.0);
    l.stroke((x1, y_top), (x1, y_base), 0.5, 0.0);
    l.label(x0 - 4.0, y_top - 12.0, axis, "万元", Align::Right);
    l.label(x1 + 4.0, y_top - 12.0, axis, "人", Align::Left);
    let slot = (x1 - x0) / r.series.len().max(1) as f32;
    let mut points = vec![];
    for (i, (month, t)) in r.series.iter().enumerate() {
        let cx = x0 + slot * (i as f32 + 0.5);
        let label = month.get(2..).unwrap_or(month).replace('-', ".");
        l.label(cx, y_base + 3.0, axis, &label, Align::Center);
        match t {
            Some(t) => {
                let h = (t.amount_fen as f64 / 1_000_000.0 / fen_top) as f32 * plot_h;
                if h > 0.0 {
                    l.stroke((cx, y_base), (cx, y_base - h), slot * 0.55, 0.72);
                }
                let py = y_base - (t.persons as f64 / persons_top) as f32 * plot_h;
                points.push((cx, py));
            }
            None => l.label(cx, y_base - 12.0, axis, "未发放", Align::Center),
        }
    }
    for w in points.windows(2) {
        l.stroke(w[0], w[1], 1.2, 0.0);
    }
    for p in &points {
        l.stroke((p.0 - 1.6, p.1), (p.0 + 1.6, p.1), 3.2, 0.0);
    }
    // Legend.
    let ly = y_base + 16.0;
    l.stroke((x0, ly + 5.0), (x0 + 14.0, ly + 5.0), 7.0, 0.72);
    l.label(x0 + 18.0, ly, axis, "支出（万元，左轴）", Align::Left);
    l.stroke((x0 + 110.0, ly + 5.0), (x0 + 124.0, ly + 5.0), 1.2, 0.0);
    l.label(x0 + 128.0, ly, axis, "保障人数（人，右轴）", Align::Left);
}

/// An axis top at or above `max` in steps of 1, 2 or 5 × 10ⁿ (five steps or so).
pub fn nice_top(max: f64) -> (f64, f64) {
    if max <= 0.0 {
        return (1.0, 0.2);
    }
    let raw = max / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    ((max / step).ceil() * step, step)
}

fn trim(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_tops_are_round_and_above_the_maximum() {
        assert_eq!(nice_top(18.23), (20.0, 5.0));
        assert_eq!(nice_top(182.3), (200.0, 50.0));
        assert_eq!(nice_top(270.0), (300.0, 100.0));
        assert_eq!(nice_top(1000.0), (1000.0, 200.0));
        assert_eq!(nice_top(0.0), (1.0, 0.2));
    }
}
