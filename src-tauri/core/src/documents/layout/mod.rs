//! A small page-layout engine over printpdf: measured line wrapping, paragraphs, bordered tables
//! with spanning cells and a header row repeated on every page, page breaks, and a
//! "第 N 页 共 M 页" footer drawn in a second pass once the page count is known.
//!
//! Everything is laid out in points from the top-left corner of an A4 page into plain
//! [`Page`]s first; [`Layout::into_pdf`] then turns them into printpdf operations. Text never
//! leaves its box: it wraps at the cell width, and a row grows to hold its tallest cell.

mod pdf;

use super::fonts::{fonts, Face};
pub use super::wrap::wrap;
use super::wrap::wrap_lines;

pub const MM: f32 = 72.0 / 25.4;
pub const A4_WIDTH: f32 = 210.0 * MM;
pub const A4_HEIGHT: f32 = 297.0 * MM;

#[derive(Debug, Clone, Copy)]
pub struct Margins {
    pub top: f32,
    pub bottom: f32,
    pub left: f32,
    pub right: f32,
}

impl Margins {
    /// GB/T 9704's page for official documents: top 37 mm, bottom 35, left 28, right 26.
    pub fn official() -> Margins {
        Margins {
            top: 37.0 * MM,
            bottom: 35.0 * MM,
            left: 28.0 * MM,
            right: 26.0 * MM,
        }
    }

    /// For forms and long tables: the same left binding edge, less white above and below, so a
    /// 审批表 fits one page and a 公示 carries more rows per sheet.
    pub fn form() -> Margins {
        Margins {
            top: 20.0 * MM,
            bottom: 22.0 * MM,
            left: 25.0 * MM,
            right: 20.0 * MM,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    pub face: Face,
    pub size: f32,
}

impl Style {
    pub const fn body(size: f32) -> Style {
        Style {
            face: Face::Body,
            size,
        }
    }
    pub const fn title(size: f32) -> Style {
        Style {
            face: Face::Title,
            size,
        }
    }
    pub fn line_height(self) -> f32 {
        self.size * 1.45
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone)]
enum Item {
    /// `y` is the baseline, from the top of the page.
    Text {
        x: f32,
        y: f32,
        style: Style,
        text: String,
        /// Extra space after each character (PDF `Tc`), to justify a line.
        spacing: f32,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        /// 0 black … 1 white.
        grey: f32,
    },
}

#[derive(Debug, Clone, Default)]
pub struct Page {
    items: Vec<Item>,
}

/// One cell of a table row. `span` columns wide; `footer` is a line set at the cell's bottom
/// right (a signature and date under an opinion).
#[derive(Debug, Clone)]
pub struct Cell {
    pub text: String,
    pub span: usize,
    pub align: Align,
    pub bold: bool,
    pub footer: Option<String>,
}

impl Cell {
    pub fn new(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            span: 1,
            align: Align::Left,
            bold: false,
            footer: None,
        }
    }
    /// A field label: centred, bold.
    pub fn label(text: impl Into<String>) -> Cell {
        Cell {
            align: Align::Center,
            bold: true,
            ..Cell::new(text)
        }
    }
    pub fn center(text: impl Into<String>) -> Cell {
        Cell {
            align: Align::Center,
            ..Cell::new(text)
        }
    }
    pub fn right(text: impl Into<String>) -> Cell {
        Cell {
            align: Align::Right,
            ..Cell::new(text)
        }
    }
    pub fn span(mut self, span: usize) -> Cell {
        self.span = span;
        self
    }
    pub fn footer(mut self, footer: impl Into<String>) -> Cell {
        self.footer = Some(footer.into());
        self
    }
}

#[derive(Debug, Clone)]
pub struct Row {
    pub cells: Vec<Cell>,
    /// At least this tall (points): room to write an opinion or sign by hand.
    pub min_height: f32,
}

impl Row {
    pub fn new(cells: Vec<Cell>) -> Row {
        Row {
            cells,
            min_height: 0.0,
        }
    }
    pub fn min_height(mut self, points: f32) -> Row {
        self.min_height = points;
        self
    }
}

/// Column widths (relative weights, scaled to the content width) and the text style of a table.
#[derive(Debug, Clone)]
pub struct Table {
    pub weights: Vec<f32>,
    pub style: Style,
    /// Repeated at the top of every page the table reaches.
    pub header: Option<Row>,
}

const CELL_PAD_X: f32 = 3.0;
const CELL_PAD_Y: f32 = 2.5;
const BORDER: f32 = 0.6;

pub struct Layout {
    margins: Margins,
    pages: Vec<Page>,
    /// Distance from the top of the page to where the next block starts.
    y: f32,
    title: String,
}

impl Layout {
    pub fn new(title: &str, margins: Margins) -> Layout {
        Layout {
            margins,
            pages: vec![Page::default()],
            y: margins.top,
            title: title.to_owned(),
        }
    }

    pub fn content_width(&self) -> f32 {
        A4_WIDTH - self.margins.left - self.margins.right
    }

    fn bottom(&self) -> f32 {
        A4_HEIGHT - self.margins.bottom
    }

    pub fn remaining(&self) -> f32 {
        self.bottom() - self.y
    }

    pub fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = self.margins.top;
    }

    /// Starts a new page unless `height` points still fit on this one.
    pub fn keep(&mut self, height: f32) {
        if height > self.remaining() && self.y > self.margins.top {
            self.new_page();
        }
    }

    pub fn space(&mut self, points: f32) {
        self.y = (self.y + points).min(self.bottom());
    }

    fn push(&mut self, item: Item) {
        self.pages
            .last_mut()
            .expect("a layout has a page")
            .items
            .push(item);
    }

    fn text_at(&mut self, x: f32, top: f32, style: Style, text: &str) {
        self.spaced_text_at(x, top, style, text, 0.0);
    }

    fn spaced_text_at(&mut self, x: f32, top: f32, style: Style, text: &str, spacing: f32) {
        if text.is_empty() {
            return;
        }
        let baseline = top + (style.line_height() - style.size) / 2.0 + style.size * 0.88;
        self.push(Item::Text {
            x,
            y: baseline,
            style,
            text: text.to_owned(),
            spacing,
        });
    }

    fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32) {
        self.stroke((x1, y1), (x2, y2), width, 0.0);
    }

    /// A straight stroke between two points (from the page's top-left corner), `grey` 0 black …
    /// 1 white. Charts draw their bars as wide strokes.
    pub fn stroke(&mut self, from: (f32, f32), to: (f32, f32), width: f32, grey: f32) {
        self.push(Item::Line {
            x1: from.0,
            y1: from.1,
            x2: to.0,
            y2: to.1,
            width,
            grey,
        });
    }

    /// Text with its top-left corner at `x`, `top`; `align` against `x` (Right: ends at `x`,
    /// Center: centred on `x`).
    pub fn label(&mut self, x: f32, top: f32, style: Style, text: &str, align: Align) {
        let w = fonts().width(style.face, text, style.size);
        let x = match align {
            Align::Left => x,
            Align::Center => x - w / 2.0,
            Align::Right => x - w,
        };
        self.text_at(x, top, style, text);
    }

    /// Reserves `height` points across the content width (on a new page if they do not fit
    /// here) and returns its left edge, top and width.
    pub fn region(&mut self, height: f32) -> (f32, f32, f32) {
        self.keep(height);
        let top = self.y;
        self.y += height;
        (self.margins.left, top, self.content_width())
    }

    /// A horizontal rule across the content width (the red line of an official document, in
    /// black here).
    pub fn rule(&mut self, width: f32) {
        let (l, r, y) = (self.margins.left, A4_WIDTH - self.margins.right, self.y);
        self.line(l, y, r, y, width);
    }

    /// Wrapped lines of text, flowing over pages. `indent` em of first-line indent (2 for a
    /// Chinese paragraph).
    pub fn paragraph(&mut self, text: &str, style: Style, align: Align, indent: f32) {
        let width = self.content_width();
        let lh = style.line_height();
        let indent_pt = indent * style.size;
        for (i, (line, ends_para)) in wrap_lines(text, style, width, indent_pt)
            .into_iter()
            .enumerate()
        {
            self.keep(lh);
            let first = if i == 0 { indent_pt } else { 0.0 };
            let avail = width - first;
            let x = self.margins.left + first + aligned(&line, style, avail, align);
            // Justify every line of a left-aligned paragraph but its last, as official documents
            // are set; a line cut short by a long word keeps its natural spacing.
            let n = line.chars().count();
            let spare = avail - fonts().width(style.face, &line, style.size);
            let spacing = if align == Align::Left && !ends_para && n > 1 && spare < style.size * 2.0
            {
                spare.max(0.0) / (n - 1) as f32
            } else {
                0.0
            };
            let top = self.y;
            self.spaced_text_at(x, top, style, &line, spacing);
            self.y += lh;
        }
    }

    /// A table: rows flow over pages; the header is drawn again at the top of each new page.
    /// A row taller than a whole page is split between its lines.
    pub fn table(&mut self, table: &Table, rows: &[Row]) {
        let total: f32 = table.weights.iter().sum();
        let width = self.content_width();
        let widths: Vec<f32> = table.weights.iter().map(|w| w / total * width).collect();
        let header = table
            .header
            .as_ref()
            .map(|h| prepare(h, &widths, table.style));
        let header_height = header.as_ref().map_or(0.0, |h| h.height);
        let page_room = self.bottom() - self.margins.top - header_height;
        let mut header_drawn_on = None;
        for row in rows {
            let mut row = prepare(row, &widths, table.style);
            loop {
                let need_header = header.is_some() && header_drawn_on != Some(self.pages.len());
                let header_h = if need_header { header_height } else { 0.0 };
                let fits = header_h + row.height <= self.remaining();
                // A row that fits on a fresh page moves there; a taller one starts here if at
                // least three of its lines fit.
                let few_lines = row.line_height * 3.0 + 2.0 * CELL_PAD_Y;
                if !fits
                    && self.y > self.margins.top
                    && (row.height <= page_room || self.remaining() - header_h < few_lines)
                {
                    self.new_page();
                    continue;
                }
                if let (true, Some(h)) = (need_header, &header) {
                    let h = h.clone();
                    self.draw_row(&h, &widths);
                    header_drawn_on = Some(self.pages.len());
                }
                let room = self.remaining();
                if row.height <= room {
                    self.draw_row(&row, &widths);
                    break;
                }
                // Split: as many lines as fit here, the rest on the next page.
                let (head, tail) = row.split(room);
                self.draw_row(&head, &widths);
                self.new_page();
                row = tail;
            }
        }
    }

    fn draw_row(&mut self, row: &Prepared, widths: &[f32]) {
        let top = self.y;
        let bottom = top + row.height;
        let left = self.margins.left;
        let right = left + widths.iter().sum::<f32>();
        self.line(left, top, right, top, BORDER);
        self.line(left, bottom, right, bottom, BORDER);
        let mut col = 0;
        let mut x = left;
        self.line(x, top, x, bottom, BORDER);
        for cell in &row.cells {
            let w: f32 = widths[col..col + cell.span].iter().sum();
            let style = cell.style;
            let lh = style.line_height();
            let inner = w - 2.0 * CELL_PAD_X;
            let body_h = cell.lines.len() as f32 * lh;
            // Labels and short values sit in the middle; a cell with a footer starts at the top.
            let mut y = if cell.footer.is_some() {
                top + CELL_PAD_Y
            } else {
                top + (row.height - body_h) / 2.0
            };
            for line in &cell.lines {
                let dx = aligned(line, style, inner, cell.align);
                self.text_at(x + CELL_PAD_X + dx, y, style, line);
                y += lh;
            }
            if let Some(footer) = &cell.footer {
                let dx = aligned(footer, style, inner, Align::Right);
                self.text_at(x + CELL_PAD_X + dx, bottom - CELL_PAD_Y - lh, style, footer);
            }
            x += w;
            col += cell.span;
            self.line(x, top, x, bottom, BORDER);
        }
        self.y = bottom;
    }

    /// A line split in two: `left` at the left margin and `right` at the right margin.
    pub fn two_sided(&mut self, left: &str, right: &str, style: Style) {
        let lh = style.line_height();
        self.keep(lh);
        let top = self.y;
        let width = self.content_width();
        let x = self.margins.left;
        self.text_at(x, top, style, left);
        let dx = aligned(right, style, width, Align::Right);
        self.text_at(x + dx, top, style, right);
        self.y += lh;
    }
}

/// A row measured for given column widths: each cell's lines and the row's height.
#[derive(Debug, Clone)]
struct Prepared {
    cells: Vec<PreparedCell>,
    height: f32,
    line_height: f32,
}

#[derive(Debug, Clone)]
struct PreparedCell {
    lines: Vec<String>,
    span: usize,
    align: Align,
    style: Style,
    footer: Option<String>,
}

fn prepare(row: &Row, widths: &[f32], style: Style) -> Prepared {
    let mut col = 0;
    let mut cells = Vec::with_capacity(row.cells.len());
    let mut height = row.min_height;
    for cell in &row.cells {
        let span = cell.span.max(1).min(widths.len() - col);
        let w: f32 = widths[col..col + span].iter().sum();
        col += span;
        let style = if cell.bold {
            Style {
                face: Face::Title,
                ..style
            }
        } else {
            style
        };
        let lines = wrap(&cell.text, style, w - 2.0 * CELL_PAD_X);
        let footer_lines = usize::from(cell.footer.is_some());
        let h = (lines.len() + footer_lines) as f32 * style.line_height() + 2.0 * CELL_PAD_Y;
        height = height.max(h);
        cells.push(PreparedCell {
            lines,
            span,
            align: cell.align,
            style,
            footer: cell.footer.clone(),
        });
    }
    Prepared {
        cells,
        height,
        line_height: style.line_height(),
    }
}

impl Prepared {
    /// Splits a row so the first part is at most `room` points tall.
    fn split(self, room: f32) -> (Prepared, Prepared) {
        let fit = (((room - 2.0 * CELL_PAD_Y) / self.line_height).floor() as usize).max(1);
        let mut head = self.clone();
        let mut tail = self;
        for (h, t) in head.cells.iter_mut().zip(tail.cells.iter_mut()) {
            t.lines = h.lines.split_off(fit.min(h.lines.len()));
            // The signature line goes with the end of the opinion.
            h.footer = None;
        }
        head.height = room;
        let lh = tail.line_height;
        tail.height = tail
            .cells
            .iter()
            .map(|c| (c.lines.len() + usize::from(c.footer.is_some())) as f32 * lh)
            .fold(0.0, f32::max)
            + 2.0 * CELL_PAD_Y;
        (head, tail)
    }
}

/// Horizontal offset of `text` in a box `width` wide.
fn aligned(text: &str, style: Style, width: f32, align: Align) -> f32 {
    let w = fonts().width(style.face, text, style.size);
    match align {
        Align::Left => 0.0,
        Align::Center => ((width - w) / 2.0).max(0.0),
        Align::Right => (width - w).max(0.0),
    }
}
