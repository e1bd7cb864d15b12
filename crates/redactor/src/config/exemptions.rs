//! `exemptions.yaml`: the provision that relieves the body of publishing exempt information,
//! and the exemptions the notice cites.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::File;
use super::context::{Context, Text};
use super::diag::Code;

/// `exemptions.yaml` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawExemptions {
    citation: Text,
    exemptions: BTreeMap<String, RawExemption>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExemption {
    section: Text,
    reason: Text,
}

/// An exemption from publication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exemption {
    pub id: String,
    pub section: String,
    pub reason: String,
}

/// The exemptions, validated.
#[derive(Debug, Clone)]
pub struct Exemptions {
    /// The provision every exemption is cited under.
    pub citation: String,
    by_id: BTreeMap<String, Exemption>,
}

impl Exemptions {
    /// The exemption of `id`.
    pub fn get(&self, id: &str) -> Option<&Exemption> {
        self.by_id.get(id)
    }

    /// Every exemption id, in order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.by_id.keys().map(String::as_str)
    }
}

impl File for RawExemptions {
    const NAME: &'static str = "exemptions.yaml";
    const BUILT_IN: &'static str = include_str!("../../../../classifications/exemptions.yaml");
    type Section = Exemptions;

    fn validate(self, ctx: &mut Context) -> Exemptions {
        let mut by_id = BTreeMap::new();
        for (id, e) in self.exemptions {
            if e.reason.value.trim().is_empty() {
                ctx.error(&e.reason, Code::EmptyText, "an exemption needs a reason");
            }
            let exemption = Exemption {
                id: id.clone(),
                section: e.section.value,
                reason: e.reason.value,
            };
            by_id.insert(id, exemption);
        }
        Exemptions {
            citation: self.citation.value,
            by_id,
        }
    }
}
