//! Varied text for the tests that compare a fast path with the plain reading it stands for:
//! marking words plain, in disguise and spaced out, footnote markers, character references,
//! look-alikes and letters of other scripts, combining marks, invisibles, dashes, columns and
//! line breaks, cut and joined at random (a fixed seed: every run reads the same texts).

/// Pieces the texts are made of.
const PIECES: &[&str] = &[
    "OFFICIAL",
    "official",
    "SENSITIVE",
    "Sensitive",
    "SECRET",
    "secret",
    "RESTRICTED",
    "CONFIDENTIAL",
    "PROTECT",
    "protected",
    "EXEMPT",
    "PART",
    "Part",
    "part",
    "OS",
    "os",
    "0FFICIAL",
    "SENS1TIVE",
    "SENSlTIVE",
    "$ECRET",
    "5ECRET",
    "Pr0tect",
    "RESTR1CTED",
    "C0NFIDENTIAL",
    "P@RT",
    "p4rt",
    "offlcial",
    "offiicial",
    "OFF\u{0406}CIAL",
    "\u{0166}OP",
    "S E C R E T",
    "P A R T",
    "R E S T R I C T E D",
    "S.E.C.R.E.T.",
    "C-O-N-F-I-D-E-N-T-I-A-L",
    "O F F I C I A L",
    "a",
    "I",
    "b",
    "x",
    "1",
    "2",
    "A B C",
    "option a or b",
    " ",
    " ",
    " ",
    "  ",
    "   ",
    "\t",
    "\n",
    "\r\n",
    "\n\n",
    "-",
    "--",
    "---",
    ".",
    "...",
    ",",
    ";",
    ":",
    "(",
    ")",
    "[",
    "]",
    "*",
    "**",
    "_",
    "~~",
    "`",
    "^",
    "|",
    "@",
    "$",
    "&",
    "[1]",
    "[^2]",
    "^3^",
    "(4)",
    "<sup>5</sup>",
    "<sub>6</sub>",
    "~~x~~",
    "<del>y</del>",
    "\u{00B9}",
    "\u{00B2}",
    "\u{2070}",
    "\u{2082}",
    "12",
    "123",
    "2024",
    "2022-25",
    "&amp;",
    "&#83;",
    "&#x4F;",
    "&shy;",
    "&nbsp;",
    "&ndash;",
    "&Eacute;",
    "&notit;",
    "&#0;",
    "\u{2013}",
    "\u{2014}",
    "\u{2010}",
    "\u{2212}",
    "\u{00A0}",
    "\u{2007}",
    "\u{3000}",
    "\u{2800}",
    "\u{200B}",
    "\u{00AD}",
    "\u{FEFF}",
    "\u{E0100}",
    "\u{2018}",
    "\u{2019}",
    "\u{0130}",
    "\u{0131}",
    "\u{00DF}",
    "\u{FB01}",
    "\u{FF2F}",
    "\u{212A}",
    "\u{0332}",
    "\u{0301}",
    "\u{1D0F}",
    "\u{A730}",
    "\u{0405}",
    "\u{041E}",
    "\u{03BF}",
    "\u{A4D1}",
    "\u{0142}",
    "\u{00F8}",
    "\u{0167}",
    "\u{00A3}",
    "\u{00A7}",
    "\u{0662}",
    "\u{2777}",
    "\u{00E9}",
    "\u{00C9}",
    "\u{0152}",
    "\u{1E9E}",
    "\u{0399}",
    "Łukasz",
    "Zoë",
    "naïve",
    "\u{0D28}\u{0D4D}",
    "\u{4E2D}\u{6587}",
    "\u{1F600}",
    "\u{0C}",
    "\u{0B}",
    "\u{85}",
    "policing",
    "budget",
    "those",
    "purpose",
    "approval",
    "commercial",
    "in",
    "confidence",
    "Page 2 of 3",
    "OFFICIAL-SENSITIVE",
    "OFFICIAL \u{2013} PUBLIC",
    "Protective marking:",
    "RESTRIC-\nTED",
    "CONFI-\n> DENTIAL",
    "**Confi**dential",
    "well-known",
    "we",
];

/// A small deterministic generator (xorshift64*).
pub struct Texts(u64);

impl Texts {
    pub fn new(seed: u64) -> Self {
        Texts(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A text of up to `most` pieces, now and then one cut short at a character boundary.
    pub fn text(&mut self, most: usize) -> String {
        let mut out = String::new();
        for _ in 0..self.below(most + 1) {
            let piece = PIECES[self.below(PIECES.len())];
            if self.below(8) == 0 {
                let cut = piece
                    .char_indices()
                    .map(|(i, _)| i)
                    .nth(self.below(piece.chars().count().max(1)))
                    .unwrap_or(0);
                out.push_str(&piece[cut..]);
            } else {
                out.push_str(piece);
            }
        }
        out
    }
}
