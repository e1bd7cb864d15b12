//! `notice.yaml`: the wording of the exemption notice written after the Part 2 marking, of
//! the header of a restricted part, and how the notice finds the report's title.

use regex::Regex;
use serde::Deserialize;

use super::File;
use super::context::{Context, Text};

/// `notice.yaml` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawNotice {
    heading: Text,
    bullet: Text,
    restricted_header: Text,
    title: RawTitle,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTitle {
    skip: Vec<Text>,
    #[serde(default)]
    ends: Vec<Text>,
    drop_prefixes: Vec<String>,
}

/// The notice's wording, validated.
#[derive(Debug, Clone)]
pub struct Notice {
    /// The notice's first line (`{title}`).
    pub heading: String,
    /// One line per exemption (`{citation}`, `{reason}`, `{section}`, `{id}`).
    pub bullet: String,
    /// The pointer under the marking of a restricted part (`{title}`, `{public}`).
    pub restricted_header: String,
    /// Cover blocks that are letterhead, not the title.
    pub title_skip: Vec<Regex>,
    /// Lines that follow a title (the meeting, the author, a date): in a cover block that
    /// holds more than the title, the title ends before the first of them.
    pub title_ends: Vec<Regex>,
    /// Prefixes left out when the notice names the report.
    pub title_drop_prefixes: Vec<String>,
}

impl File for RawNotice {
    const NAME: &'static str = "notice.yaml";
    const BUILT_IN: &'static str = include_str!("../../../../classifications/notice.yaml");
    type Section = Notice;

    fn validate(self, ctx: &mut Context) -> Notice {
        ctx.template(&self.heading, &["title"]);
        ctx.template(&self.restricted_header, &["title", "public"]);
        ctx.template(&self.bullet, &["citation", "reason", "section", "id"]);
        Notice {
            title_skip: self.title.skip.iter().map(|s| ctx.regex(s)).collect(),
            title_ends: self.title.ends.iter().map(|s| ctx.regex(s)).collect(),
            title_drop_prefixes: self.title.drop_prefixes,
            heading: self.heading.value,
            bullet: self.bullet.value,
            restricted_header: self.restricted_header.value,
        }
    }
}
