//! The manual pages: one per command, rendered from the command line's own definition.
//!
//! clap_mangen renders each page's name, synopsis, description, options and the list of
//! subcommands, which refers to each subcommand's own page (`mopac-redact-publish(1)`): every
//! one of those pages is rendered here too, so that no reference leads nowhere. The exit
//! statuses, the examples and the pages to see also are written here in sections of their
//! own, under the names manual pages give them (clap_mangen would put the text after the
//! options under "EXTRA").

use std::io;
use std::path::{Path, PathBuf};

use clap::CommandFactory;
use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, roman};

use crate::cli::{Cli, EXAMPLES, EXIT_STATUS};

/// One manual page: its file name (`mopac-redact-publish.1`) and its roff text.
pub struct Page {
    pub file: String,
    pub roff: String,
}

/// The command line as the pages describe it: built, so every subcommand knows its full
/// name, and with no `help` subcommand, which would have no page.
fn command() -> clap::Command {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    cmd
}

/// `mopac-redact man`: the main page to print; with `dir`, nothing to print once every page
/// is written there.
pub fn man(dir: Option<&Path>) -> Result<String, String> {
    match dir {
        None => main_page().map_err(|e| e.to_string()),
        Some(dir) => write_pages(dir).map(|_| String::new()),
    }
}

/// The main page, `mopac-redact(1)`.
pub fn main_page() -> io::Result<String> {
    Ok(page(&command(), None)?.roff)
}

/// Every page: the main one, then each command's, each before its own subcommands'.
pub fn pages() -> io::Result<Vec<Page>> {
    let mut pages = Vec::new();
    collect(&command(), None, &mut pages)?;
    Ok(pages)
}

fn at(path: &Path) -> impl FnOnce(io::Error) -> String + '_ {
    move |e| format!("{}: {e}", path.display())
}

/// Writes every page into `dir`, creating it; gives the files written, or what could not be
/// written and why.
pub fn write_pages(dir: &Path) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(dir).map_err(at(dir))?;
    let mut written = Vec::new();
    for p in pages().map_err(at(dir))? {
        let path = dir.join(&p.file);
        std::fs::write(&path, p.roff).map_err(at(&path))?;
        written.push(path);
    }
    Ok(written)
}

fn collect(cmd: &clap::Command, parent: Option<&str>, pages: &mut Vec<Page>) -> io::Result<()> {
    pages.push(page(cmd, parent)?);
    for sub in visible(cmd) {
        collect(sub, Some(name(cmd)), pages)?;
    }
    Ok(())
}

/// A command's full name, as its page is called: `mopac-redact-config-check`.
fn name(cmd: &clap::Command) -> &str {
    cmd.get_display_name().unwrap_or_else(|| cmd.get_name())
}

fn visible(cmd: &clap::Command) -> impl Iterator<Item = &clap::Command> {
    cmd.get_subcommands().filter(|s| !s.is_hide_set())
}

/// The page of `cmd`, a subcommand of `parent` (none for the main page).
fn page(cmd: &clap::Command, parent: Option<&str>) -> io::Result<Page> {
    let man = Man::new(cmd.clone());
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut out)?;
    }
    if visible(cmd).next().is_some() {
        man.render_subcommands_section(&mut out)?;
    }
    let mut roff = Roff::new();
    exit_status(&mut roff);
    if parent.is_none() {
        examples(&mut roff);
    }
    see_also(&mut roff, cmd, parent);
    roff.to_writer(&mut out)?;
    if cmd.get_version().is_some() {
        man.render_version_section(&mut out)?;
    }
    Ok(Page {
        file: man.get_filename(),
        roff: String::from_utf8_lossy(&out).into_owned(),
    })
}

fn exit_status(roff: &mut Roff) {
    roff.control("SH", ["EXIT STATUS"]);
    for (status, meaning) in EXIT_STATUS {
        roff.control("TP", []);
        roff.text([bold(status.to_string())]);
        roff.text([roman(meaning)]);
    }
}

fn examples(roff: &mut Roff) {
    roff.control("SH", ["EXAMPLES"]);
    roff.control("nf", []);
    for example in EXAMPLES {
        roff.text([roman(example)]);
    }
    roff.control("fi", []);
}

/// The main page refers to every other; another page to the one above it and its own
/// subcommands'.
fn see_also(roff: &mut Roff, cmd: &clap::Command, parent: Option<&str>) {
    let mut names: Vec<String> = match parent {
        None => Vec::new(),
        Some(parent) => vec![parent.to_string()],
    };
    let mut below = Vec::new();
    every_below(cmd, &mut below, parent.is_none());
    names.extend(below);
    if names.is_empty() {
        return;
    }
    let refs: Vec<String> = names.iter().map(|n| format!("{n}(1)")).collect();
    roff.control("SH", ["SEE ALSO"]);
    roff.text([roman(refs.join(", "))]);
}

/// The names of `cmd`'s subcommands, and of theirs when `deep`.
fn every_below(cmd: &clap::Command, names: &mut Vec<String>, deep: bool) {
    for sub in visible(cmd) {
        names.push(name(sub).to_string());
        if deep {
            every_below(sub, names, deep);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_a_page_named_for_it() {
        let files: Vec<String> = pages().unwrap().into_iter().map(|p| p.file).collect();
        assert_eq!(files[0], "mopac-redact.1");
        for expected in [
            "mopac-redact-publish.1",
            "mopac-redact-config.1",
            "mopac-redact-config-check.1",
            "mopac-redact-man.1",
        ] {
            assert!(files.iter().any(|f| f == expected), "{files:?}");
        }
        assert!(!files.iter().any(|f| f.contains("help")), "{files:?}");
    }
}
