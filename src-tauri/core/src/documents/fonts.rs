//! The shipped fonts and the per-character choice between them.
//!
//! Three faces are compiled into the binary (see `fonts/README.md`): a bold Song title face, a
//! Song body face and a sans fallback for rare characters. printpdf silently drops a character
//! its font lacks, so nothing reaches it without a glyph: [`Fonts::face_for`] walks the chain
//! title → body → fallback (or body → fallback) and the layout splits text into runs by face.
//! A character in no face is an error naming it, raised before anything is drawn.

use std::sync::OnceLock;

use printpdf::ParsedFont;

/// Compiled in rather than read at run time: the desktop app must print on a machine with no
/// Chinese font installed and no repository beside it, and the fonts must match the code.
const TITLE_OTF: &[u8] = include_bytes!("../../fonts/NotoSerifSC-Bold-title.otf");
const BODY_OTF: &[u8] = include_bytes!("../../fonts/NotoSerifSC-Regular-body.otf");
const FALLBACK_OTF: &[u8] = include_bytes!("../../fonts/NotoSansSC-Regular-fallback.otf");

/// A face the text asks for; the face actually used for a character may be a later one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Face {
    Title,
    Body,
    Fallback,
}

impl Face {
    pub const ALL: [Face; 3] = [Face::Title, Face::Body, Face::Fallback];

    /// The faces tried for a character, in order.
    fn chain(self) -> &'static [Face] {
        match self {
            Face::Title => &[Face::Title, Face::Body, Face::Fallback],
            Face::Body => &[Face::Body, Face::Fallback],
            Face::Fallback => &[Face::Fallback],
        }
    }

    pub(crate) fn index(self) -> usize {
        match self {
            Face::Title => 0,
            Face::Body => 1,
            Face::Fallback => 2,
        }
    }
}

pub struct Fonts {
    parsed: [ParsedFont; 3],
    units_per_em: [f32; 3],
}

/// Parsing the 9 MB body face takes a while; do it once per process.
pub fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let parse = |bytes: &[u8]| {
            ParsedFont::from_bytes(bytes, 0, &mut Vec::new())
                .expect("the shipped fonts are valid OpenType")
        };
        let parsed = [parse(TITLE_OTF), parse(BODY_OTF), parse(FALLBACK_OTF)];
        let units_per_em = parsed
            .each_ref()
            .map(|f| f32::from(f.pdf_font_metrics.units_per_em.max(1)));
        Fonts {
            parsed,
            units_per_em,
        }
    })
}

impl Fonts {
    pub fn parsed(&self, face: Face) -> &ParsedFont {
        &self.parsed[face.index()]
    }

    /// Whether `face` itself has a glyph for `c` (no fallback).
    pub fn has_glyph(&self, face: Face, c: char) -> bool {
        self.glyph(face, c).is_some()
    }

    fn glyph(&self, face: Face, c: char) -> Option<u16> {
        self.parsed(face)
            .lookup_glyph_index(c as u32)
            .filter(|&g| g != 0)
    }

    /// The first face in `wanted`'s chain with a glyph for `c`, or `None` if no shipped font has
    /// one.
    pub fn face_for(&self, wanted: Face, c: char) -> Option<Face> {
        wanted
            .chain()
            .iter()
            .copied()
            .find(|&f| self.has_glyph(f, c))
    }

    /// Advance width of `c` at `size` points, in points, using the face that will draw it.
    /// A character no face has measures as one em; the renderers refuse such text up front.
    pub fn advance(&self, wanted: Face, c: char, size: f32) -> f32 {
        match self.face_for(wanted, c) {
            Some(face) => {
                let glyph = self.glyph(face, c).unwrap_or(0);
                let units = self.parsed(face).get_horizontal_advance(glyph);
                f32::from(units) / self.units_per_em[face.index()] * size
            }
            None => size,
        }
    }

    pub fn width(&self, wanted: Face, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance(wanted, c, size)).sum()
    }

    /// Splits `text` into runs that one face can draw whole.
    pub fn runs(&self, wanted: Face, text: &str) -> Vec<(Face, String)> {
        let mut runs: Vec<(Face, String)> = Vec::new();
        for c in text.chars() {
            let face = self.face_for(wanted, c).unwrap_or(wanted);
            match runs.last_mut() {
                Some((f, s)) if *f == face => s.push(c),
                _ => runs.push((face, c.to_string())),
            }
        }
        runs
    }

    /// The first character of `text` that no shipped face can draw.
    pub fn first_missing(&self, text: &str) -> Option<char> {
        text.chars()
            .filter(|c| !c.is_control())
            .find(|&c| self.face_for(Face::Body, c).is_none())
    }
}
