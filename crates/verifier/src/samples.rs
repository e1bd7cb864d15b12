//! Varied texts for the tests that hold a fast path equal to its plain reading: ordinary
//! words, the marking words plain, in disguise and spaced out, footnote markers, digits,
//! letters outside ASCII, invisibles, symbols and irregular spacing, drawn by a fixed
//! generator so that every run sees the same texts.

/// Pieces the texts are made of.
const PIECES: &[&str] = &[
    "the",
    "policing",
    "services",
    "Report",
    "secret",
    "SECRET",
    "SECRETARY",
    "TOP",
    "OFFICIAL",
    "official",
    "SENSITIVE",
    "sensitive",
    "OFFICIAL-SENSITIVE",
    "O-S",
    "OS",
    "COMMERCIAL",
    "SEN",
    "SITIVE",
    "SE",
    "CRET",
    "S E C R E T",
    "R E S T R I C T E D",
    "0FFICIAL",
    "5EN5ITIVE",
    "SENSlTIVE",
    "OFFlCIAL",
    "C0NFIDENTIAL",
    "PR0TECT",
    "RESTRICTED",
    "CONFIDENTIAL",
    "PROTECT",
    "ECRET",
    "$ECRET",
    "SENS|TIVE",
    "\u{166}OP",
    "SECRE\u{166}",
    "\u{41E}FF\u{399}CIAL",
    "S\u{415}N",
    "\u{1D0F}\u{A730}\u{A730}\u{26A}\u{1D04}\u{26A}\u{1D00}\u{29F}",
    "SENS\u{130}TIVE",
    "caf\u{e9}",
    "Zo\u{eb}",
    "\u{141}ukasz",
    "\u{AD}",
    "\u{200B}",
    "\u{B9}",
    "\u{B2}",
    "\u{2460}",
    "[1]",
    "^1^",
    "(1)",
    "1",
    "12",
    "123",
    "1234",
    "2024",
    "\u{a3}1,284,560",
    "&",
    "&amp;",
    "-",
    "\u{2013}",
    "\u{2011}",
    "/",
    "|",
    "\\",
    ".",
    ",",
    "<b>",
    "</b>",
    "Hal",
    "berd",
    "of",
    "o",
    "s",
    "c",
    "p",
    "r",
    "l",
    "I",
    "i",
    "L",
    "offlcial",
    "officiai",
    "Sen",
    "sitive",
    "pro",
    "tect",
    "\u{FF33}",
    "\u{3b1}\u{3b2}",
    "\u{4e2d}\u{6587}",
    "\u{1F600}",
    "\u{C9}",
];

/// Separators between pieces, spacing irregular on purpose.
const GLUE: &[&str] = &[
    " ", " ", " ", "", "  ", "-", " - ", "\n", "\t", "\u{a0}", "\u{c}",
];

/// A fixed xorshift generator.
pub struct Draw(u64);

impl Draw {
    pub fn new(seed: u64) -> Self {
        Draw(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// `n` texts of up to `most` pieces each, the empty text first.
pub fn texts(n: usize, most: usize) -> Vec<String> {
    let mut draw = Draw::new(n as u64 ^ most as u64);
    let mut texts = vec![String::new()];
    for _ in 1..n {
        let mut t = String::new();
        for _ in 0..draw.below(most + 1) {
            if draw.below(4) == 0 {
                t.push_str(GLUE[draw.below(GLUE.len())]);
            } else {
                t.push(' ');
            }
            t.push_str(PIECES[draw.below(PIECES.len())]);
        }
        if draw.below(3) == 0 {
            t = t.trim_start().to_string();
        }
        texts.push(t);
    }
    texts
}

/// Texts as the checks read them: flattened with case kept (see [`crate::text`]), and a
/// few raw ones besides, spaces irregular, to hold the fast paths to any input.
pub fn flats(n: usize, most: usize) -> Vec<String> {
    let raw = texts(n, most);
    let mut flats: Vec<String> = raw
        .iter()
        .map(|t| crate::text::marking_text(&crate::html::decoded(t)))
        .collect();
    flats.extend(raw.into_iter().step_by(5));
    flats
}
