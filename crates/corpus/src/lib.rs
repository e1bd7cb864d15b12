//! The benchmark corpus: a deterministic generator of realistic full reports, for the benchmark and for tests that
//! need many reports (the kill tests of the release). A dev-only crate: the tool never links it.
//!
//! `cargo run --release --example corpus -- N DIR` writes reports 0..N as DIR/NNN/NNNNN.md.
//!
//! Report `i` is always the same bytes: a cover, a Part 1 of about a dozen sections with
//! numbered lists, a table, links and a footnote, then the Part 2 banner, its marking and
//! several restricted sections: about 18 KB in all.

use std::fmt::Write;

/// A small, fast, deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const SYSTEMS: &[&str] = &[
    "Custody Telephony",
    "Digital Forensics Storage",
    "Body Worn Video",
    "Fleet Telematics",
    "Command and Control",
    "Firearms Licensing",
    "Mobile Data Terminals",
    "Property Store",
    "Case Management",
    "Interview Recording",
    "Automatic Number Plate Recognition",
    "Crime Recording",
    "Radio Airtime",
    "Estate Cleaning",
    "Custody Healthcare",
];
const WORK: &[&str] = &[
    "Renewal",
    "Replacement",
    "Extension",
    "Upgrade",
    "Consolidation",
    "Procurement",
    "Refresh",
];
const PEOPLE: &[&str] = &[
    "Aisha Mendoza",
    "Gareth Lyle",
    "Priya Raman",
    "Tomasz Nowak",
    "Helen Osei",
    "Callum Reid",
    "Fatima Begum",
    "Owen Prichard",
    "Ngozi Adeyemi",
    "Ruth Penhallow",
    "Samir Haddad",
    "Eleanor Vance",
];
const SUPPLIERS: &[&str] = &[
    "Halberd Secure Systems Ltd",
    "Carrowmere Technology",
    "Pellworth Data Services",
    "Quillfeather Networks",
    "Brackenridge Digital",
    "Ormsby Analytics",
    "Larkspur Managed Services",
    "Tessaly Communications",
];
const BOROUGHS: &[&str] = &[
    "Lambeth",
    "Southwark",
    "Croydon",
    "Ealing",
    "Hillingdon",
    "Brent",
    "Hackney",
    "Newham",
    "Barnet",
    "Lewisham",
];
const VERBS: &[&str] = &[
    "supports",
    "improves",
    "protects",
    "sustains",
    "modernises",
    "secures",
    "simplifies",
];
const OBJECTS: &[&str] = &[
    "the investigation of serious crime",
    "victims' confidence in policing",
    "officer time on the front line",
    "the resilience of operational services",
    "value for money across the estate",
    "the quality of evidence",
    "public trust and transparency",
    "the safety of people in custody",
];
const CLAUSES: &[&str] = &[
    "in line with the MOPAC Police and Crime Plan",
    "as agreed with the Directorate of Commercial Services",
    "following the options appraisal set out below",
    "within the capital programme approved for the year",
    "subject to the usual assurance through the Investment Advisory and Monitoring meeting",
    "taking account of the equality screening already completed",
];
const RESTRICTED: &[&str] = &[
    "the preferred bidder's price assumes a volume discount that expires at the end of the quarter",
    "the incumbent has indicated it will challenge any award made without a further competition",
    "the negotiation position allows a further reduction of up to five per cent before walking away",
    "the evaluation panel scored the two leading bids within one point of each other on quality",
    "legal advice is that the framework call-off is compliant provided the scope is not widened",
    "the budget line carries an unallocated contingency that is not disclosed to suppliers",
];

fn sentence(r: &mut Rng, system: &str) -> String {
    format!(
        "The {} {} {} {}, and the work is planned across {} and {}.",
        system,
        r.pick(&["service", "programme", "contract", "project"]),
        r.pick(VERBS),
        r.pick(OBJECTS),
        r.pick(BOROUGHS),
        r.pick(BOROUGHS)
    )
}

fn paragraph(r: &mut Rng, system: &str, sentences: usize) -> String {
    let mut p = String::new();
    for i in 0..sentences {
        if i > 0 {
            p.push(' ');
        }
        if r.below(3) == 0 {
            let _ = write!(p, "This is {}.", r.pick(CLAUSES));
        } else {
            p.push_str(&sentence(r, system));
        }
    }
    p
}

fn money(r: &mut Rng) -> String {
    let n = 100_000 + r.below(4_900_000);
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("£{out}")
}

/// Report number `i` of the corpus.
pub fn report(i: usize) -> String {
    let mut r = Rng(0x5EED_0000 ^ (i as u64).wrapping_mul(0x9E37_79B9));
    let system = r.pick(SYSTEMS);
    let title = format!("MPS {} {}", system, r.pick(WORK));
    let author = r.pick(PEOPLE);
    let pcd = 1000 + i % 9000;
    let mut d = String::with_capacity(20_000);
    cover(&mut d, &mut r, &title, author);
    part1(&mut d, &mut r, system);
    part2(&mut d, &mut r, system, author, pcd);
    d
}

/// The cover and the Part 1 banner.
fn cover(d: &mut String, r: &mut Rng, title: &str, author: &str) {
    let _ = write!(
        d,
        "MAYOR OF LONDON\nOFFICE FOR POLICING AND CRIME\n\n{title}\n\n\
         MOPAC Investment Advisory & Monitoring meeting, {} {} 2025\n\n\
         Report by {author} on behalf of the Chief of Corporate Services\n\n\
         Part 1 – This section of the report will be published by MOPAC. It is classified as OFFICIAL – PUBLIC\n\n",
        1 + r.below(28),
        r.pick(&["January", "March", "May", "July", "September", "November"])
    );
}

/// Part 1's sections, up to its background papers.
fn part1(d: &mut String, r: &mut Rng, system: &str) {
    let _ = write!(
        d,
        "## Executive summary\n\n{}\n\n{}\n\n",
        paragraph(r, system, 5),
        paragraph(r, system, 4)
    );
    d.push_str("## Recommendations\n\nThe Deputy Mayor for Policing and Crime is asked to:\n\n");
    for n in 1..=3 {
        let _ = writeln!(
            d,
            "{n}. Approve {} for the {system} work, at a total of up to {}.",
            r.pick(CLAUSES),
            money(r)
        );
    }
    let _ = write!(
        d,
        "\n## Time sensitivity\n\n{}\n\n",
        paragraph(r, system, 3)
    );
    d.push_str("## Non-confidential facts and advice to the Deputy Mayor for Policing and Crime\n\n### Introduction and background\n\n");
    for n in 1..=6 {
        let _ = write!(d, "{n}. {}\n\n", paragraph(r, system, 4));
    }
    d.push_str(
        "### Options considered\n\n| Option | Description | Whole-life cost |\n|---|---|---:|\n",
    );
    for n in 1..=4 {
        let _ = writeln!(
            d,
            "| {n} | {} in {} | {} |",
            r.pick(WORK),
            r.pick(BOROUGHS),
            money(r)
        );
    }
    let _ = write!(d, "\n### Issues for consideration\n\n");
    for _ in 0..5 {
        let _ = writeln!(d, "- {}", sentence(r, system));
    }
    let _ = write!(
        d,
        "\n### Contributes to the MOPAC Police & Crime Plan 2022-25[^plan]\n\n{}\n\n[^plan]: [Police and crime plan: a safer city for all Londoners](https://www.london.gov.uk/programmes-strategies/mayors-office-policing-and-crime/police-and-crime-plan)\n\n",
        paragraph(r, system, 5)
    );
    for section in [
        "Financial comments",
        "Legal comments",
        "Equality comments",
        "Privacy comments",
        "Risk comments",
        "Workforce comments",
        "Real estate implications",
        "Environmental implications",
    ] {
        let _ = write!(
            d,
            "### {section}\n\n{}\n\n{}\n\n",
            paragraph(r, system, 5),
            paragraph(r, system, 4)
        );
    }
    d.push_str("### Background/supporting papers\n\n");
    for _ in 0..3 {
        let n = 100 + r.below(1400);
        let _ = writeln!(
            d,
            "- [PCD {n} – {} {}](https://www.london.gov.uk/decisions/pcd-{n})",
            r.pick(SYSTEMS),
            r.pick(WORK)
        );
    }
}

/// The report author, the Part 2 banner, its marking and the restricted sections.
fn part2(d: &mut String, r: &mut Rng, system: &str, author: &str, pcd: usize) {
    let _ = write!(
        d,
        "\nReport author: {author}, {} Lead, MPS (PCD {pcd})\n\n\
         Part 2 – This section refers to the details of the Part 2 business case which is NOT SUITABLE for MOPAC Publication.\n\n\
         The Government Security Classification marking for Part 2 is:\n\n{}\n\n",
        r.pick(&["Programme", "Commercial", "Technology", "Finance"]),
        r.pick(&[
            "OFFICIAL-SENSITIVE [COMMERCIAL]",
            "OFFICIAL-SENSITIVE COMMERCIAL",
            "OFFICIAL-SENSITIVE [PERSONAL]"
        ])
    );
    d.push_str("## Confidential facts and advice\n\n");
    for _ in 0..4 {
        let _ = write!(
            d,
            "{} Note that {}.\n\n",
            paragraph(r, system, 3),
            r.pick(RESTRICTED)
        );
    }
    d.push_str("## Evaluated bids\n\n| Supplier | Price | Quality score |\n|---|---:|---:|\n");
    for _ in 0..4 {
        let _ = writeln!(
            d,
            "| {} | {} | {} |",
            r.pick(SUPPLIERS),
            money(r),
            50 + r.below(50)
        );
    }
    let _ = write!(d, "\n## Risks\n\n");
    for _ in 0..4 {
        let _ = writeln!(d, "- {} ({}).", r.pick(RESTRICTED), money(r));
    }
    let _ = write!(
        d,
        "\n## Negotiation position\n\n{} Note that {}.\n",
        paragraph(r, system, 4),
        r.pick(RESTRICTED)
    );
}
