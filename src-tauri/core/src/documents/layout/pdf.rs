//! The second pass of the layout: the laid-out pages as printpdf operations — text per font run,
//! strokes, and the "第 N 页 共 M 页" footer now that the page count is known.

use printpdf::{
    Line, LinePoint, Op, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, TextItem,
};

use super::{Item, Layout, Style, A4_HEIGHT, A4_WIDTH, MM};
use crate::documents::fonts::fonts;

impl Layout {
    /// Lays the pages out as a PDF: text per face run, borders, and the page footer.
    pub fn into_pdf(self) -> Vec<u8> {
        let fonts = fonts();
        let total = self.pages.len();
        let footer_style = Style::body(10.5);
        let mut doc = PdfDocument::new(&self.title);
        let mut ids: [Option<printpdf::FontId>; 3] = [None, None, None];
        let mut pages = Vec::with_capacity(total);
        let margins = self.margins;
        for (n, mut page) in self.pages.into_iter().enumerate() {
            let footer = format!("第 {} 页 共 {} 页", n + 1, total);
            let w = fonts.width(footer_style.face, &footer, footer_style.size);
            page.items.push(Item::Text {
                x: (A4_WIDTH - w) / 2.0,
                y: A4_HEIGHT - margins.bottom + 12.0 * MM,
                style: footer_style,
                text: footer,
                spacing: 0.0,
            });
            let mut ops = Vec::with_capacity(page.items.len() * 6);
            let mut current_grey = 0.0;
            for item in &page.items {
                match item {
                    Item::Text {
                        x,
                        y,
                        style,
                        text,
                        spacing,
                    } => {
                        ops.push(Op::StartTextSection);
                        if *spacing != 0.0 {
                            ops.push(Op::SetCharacterSpacing {
                                multiplier: *spacing,
                            });
                        }
                        ops.push(Op::SetTextCursor {
                            pos: Point {
                                x: Pt(*x),
                                y: Pt(A4_HEIGHT - y),
                            },
                        });
                        for (face, run) in fonts.runs(style.face, text) {
                            let id = ids[face.index()]
                                .get_or_insert_with(|| doc.add_font(fonts.parsed(face)))
                                .clone();
                            ops.push(Op::SetFont {
                                font: PdfFontHandle::External(id),
                                size: Pt(style.size),
                            });
                            ops.push(Op::ShowText {
                                items: vec![TextItem::Text(run)],
                            });
                        }
                        if *spacing != 0.0 {
                            // Tc outlives the text object: reset it.
                            ops.push(Op::SetCharacterSpacing { multiplier: 0.0 });
                        }
                        ops.push(Op::EndTextSection);
                    }
                    Item::Line {
                        x1,
                        y1,
                        x2,
                        y2,
                        width,
                        grey,
                    } => {
                        if *grey != current_grey {
                            current_grey = *grey;
                            ops.push(Op::SetOutlineColor {
                                col: printpdf::Color::Greyscale(printpdf::Greyscale {
                                    percent: *grey,
                                    icc_profile: None,
                                }),
                            });
                        }
                        ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                        ops.push(Op::DrawLine {
                            line: Line {
                                points: vec![
                                    LinePoint {
                                        p: Point {
                                            x: Pt(*x1),
                                            y: Pt(A4_HEIGHT - y1),
                                        },
                                        bezier: false,
                                    },
                                    LinePoint {
                                        p: Point {
                                            x: Pt(*x2),
                                            y: Pt(A4_HEIGHT - y2),
                                        },
                                        bezier: false,
                                    },
                                ],
                                is_closed: false,
                            },
                        });
                    }
                }
            }
            pages.push(PdfPage::new(printpdf::Mm(210.0), printpdf::Mm(297.0), ops));
        }
        let options = PdfSaveOptions {
            subset_fonts: true,
            optimize: true,
            ..PdfSaveOptions::default()
        };
        doc.with_pages(pages).save(&options, &mut Vec::new())
    }
}
