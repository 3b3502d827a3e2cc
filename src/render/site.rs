//! The pages of an exported site (`redliner export`): the index of
//! documents, each document's history, latest text and blame, and a diff
//! page per revision. Every page is self-contained (see `html`), links are
//! relative, and nothing on a page depends on the time of the export, so
//! that an unchanged store exports to the same bytes.

use super::html::{self, page, source, text};
use super::{DiffOptions, Format, RevRef};
use crate::diff::Diff;
use crate::history::Blame;
use crate::model::{DocId, Revision};
use maud::{html, Markup, PreEscaped};

/// The time zone of every time shown on the site (deterministic output).
fn utc() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::UTC
}

/// File names inside a document's folder.
pub fn diff_page_name(rev: u64) -> String {
    format!("diff-{rev}.html")
}

/// The download name of a raw capture in a document's folder: an HTML
/// capture is kept as `.txt` so that no host serves it as a page of the
/// site (it is downloaded under its own name).
pub fn raw_file_name(rev: u64, raw_name: &str) -> String {
    let ext = raw_name.rsplit('.').next().unwrap_or("bin");
    match ext {
        "pdf" => format!("raw-{rev}.pdf"),
        _ => format!("raw-{rev}.{}.txt", safe_ext(ext)),
    }
}

/// What a raw capture is, for its download name: `raw.html`, `raw.pdf`.
pub fn raw_kind(raw_name: &str) -> String {
    format!(
        "raw.{}",
        safe_ext(raw_name.rsplit('.').next().unwrap_or("bin"))
    )
}

fn safe_ext(ext: &str) -> &str {
    if !ext.is_empty() && ext.len() <= 8 && ext.bytes().all(|b| b.is_ascii_alphanumeric()) {
        ext
    } else {
        "bin"
    }
}

/// One document on the index.
pub struct IndexEntry<'a> {
    pub doc: &'a DocId,
    /// Newest first.
    pub history: &'a [Revision],
}

fn time(t: &crate::model::CaptureTime) -> Markup {
    html! { time datetime=(t.rfc3339()) { (t.human(&utc())) } }
}

/// A small inline SVG of words added (up, green) and removed (down, red)
/// per revision, oldest on the left; at most the last 40 revisions.
pub fn churn_svg(history: &[Revision]) -> Markup {
    const MAX: usize = 40;
    let revs: Vec<&Revision> = history.iter().take(MAX).rev().collect();
    let largest = super::churn::largest_change(history).max(1);
    let (w, h, mid) = (4u64, 24u64, 12u64);
    let width = (revs.len() as u64 * w).max(w);
    let total_added: u64 = revs.iter().map(|r| r.added).sum();
    let total_removed: u64 = revs.iter().map(|r| r.removed).sum();
    let label = format!(
        "Churn of the last {} revisions: {} words added, {} removed",
        revs.len(),
        total_added,
        total_removed
    );
    let bars = revs.iter().enumerate().map(|(i, r)| {
        let scale = |n: u64| (n.min(largest) * (mid - 1)).div_ceil(largest);
        let (a, d) = (scale(r.added), scale(r.removed));
        (i as u64 * w, a, d, r.rev, r.added, r.removed)
    });
    html! {
        svg.churn xmlns="http://www.w3.org/2000/svg" width=(width) height=(h) viewBox={"0 0 " (width) " " (h)} role="img" aria-label=(label) {
            line x1="0" y1=(mid) x2=(width) y2=(mid) stroke="#999" stroke-width="0.5" {}
            @for (x, a, d, rev, added, removed) in bars {
                g {
                    title { "@" (rev) ": +" (added) " \u{2212}" (removed) }
                    @if a > 0 { rect x=(x) y=(mid - a) width=(w - 1) height=(a) fill="#1a7f37" {} }
                    @if d > 0 { rect x=(x) y=(mid) width=(w - 1) height=(d) fill="#c0392b" {} }
                }
            }
        }
    }
}

/// `index.html`: every document with its revision count, latest capture,
/// words and churn.
pub fn index(entries: &[IndexEntry]) -> Markup {
    let body = html! {
        header { h1 { "Documents" } p { (entries.len()) " documents. Each links to its history, latest text and redlines." } }
        main {
            table {
                thead { tr { th scope="col" { "Document" } th.num scope="col" { "Revisions" } th scope="col" { "Latest capture" } th.num scope="col" { "Words" } th scope="col" { "Churn" } } }
                tbody {
                    @for e in entries {
                        @let latest = e.history.first();
                        tr {
                            td { a href={ (e.doc.as_str()) "/index.html" } { (text(e.doc.as_str())) } }
                            td.num { (e.history.len()) }
                            td { @if let Some(r) = latest { a href={ (e.doc.as_str()) "/latest.html" } { (time(&r.time)) } } }
                            td.num { @if let Some(r) = latest { (r.words) } }
                            td { (churn_svg(e.history)) }
                        }
                    }
                }
            }
        }
        footer { "Exported by redliner." }
    };
    page("Documents", body)
}

fn doc_nav(doc: &DocId) -> Markup {
    html! {
        ul {
            li { a href="../index.html" { "All documents" } }
            li { a href="index.html" { "History of " (text(doc.as_str())) } }
            li { a href="latest.html" { "Latest text" } }
            li { a href="blame.html" { "Blame" } }
        }
    }
}

/// A document's history page, newest first. `raw` gives, per revision
/// number, the file name of its raw capture in the folder and the kind of
/// file it is (`raw.html`, `raw.pdf`), if it has one.
pub fn history(
    doc: &DocId,
    revs: &[Revision],
    raw: &dyn Fn(u64) -> Option<(String, String)>,
) -> Markup {
    let title = format!("History of {doc}");
    let body = html! {
        nav aria-label="Site" { (doc_nav(doc)) }
        header { h1 { (text(&title)) } p { (revs.len()) " revisions." } }
        main {
            table {
                thead { tr {
                    th scope="col" { "Revision" } th scope="col" { "Captured" } th scope="col" { "Message" }
                    th scope="col" { "Source" } th.num scope="col" { "Added" } th.num scope="col" { "Removed" } th scope="col" { "Raw capture" }
                } }
                tbody {
                    @for r in revs {
                        tr id={ "rev-" (r.rev) } {
                            td { a href=(diff_page_name(r.rev)) { "@" (r.rev) } " " code title=(r.id.as_str()) { (r.short_id()) } }
                            td {
                                (time(&r.time))
                                @if let Some(p) = &r.published { br; "published " (time(p)) }
                            }
                            td {
                                (text(&r.message))
                                @if let Some(n) = r.restores { " " strong.restores { "restores " a href={ "#rev-" (n) } { "@" (n) } } }
                                @if let Some(t) = &r.technical { " " em { "(technical: " (text(t)) ")" } }
                            }
                            td { @if let Some(s) = &r.source { (source(s)) } }
                            td.num.added { "+" (r.added) }
                            td.num.removed { "\u{2212}" (r.removed) }
                            td { @if let Some((f, name)) = raw(r.rev) { a href=(f) download=(format!("{doc}-{}.{name}", r.rev)) { "download" } } }
                        }
                    }
                }
            }
        }
        footer { "Exported by redliner." }
    };
    page(&title, body)
}

fn rev_header(doc: &DocId, r: &Revision) -> Markup {
    html! {
        dl.sides {
            dt { "Revision" } dd { a href=(diff_page_name(r.rev)) { (text(doc.as_str())) "@" (r.rev) } " " code title=(r.id.as_str()) { (r.short_id()) } }
            dt { "Captured" } dd { (time(&r.time)) }
            @if let Some(s) = &r.source { dt { "Source" } dd { (source(s)) } }
            dt { "Message" } dd { (text(&r.message)) }
        }
    }
}

/// The latest text of a document.
pub fn latest(doc: &DocId, r: &Revision, body_text: &str, lang: Option<&str>) -> Markup {
    let title = format!("{doc}: latest text");
    let body = html! {
        nav aria-label="Site" { (doc_nav(doc)) }
        header { h1 { (text(&title)) } (rev_header(doc, r)) }
        main { div.text lang=[lang] { (text(body_text)) } }
        footer { "Exported by redliner." }
    };
    page(&title, body)
}

/// The class of a revision's blame runs (pale backgrounds `.b0`..`.b5`).
fn blame_class(rev: u64) -> String {
    format!("b{}", rev % 6)
}

/// The blame of the latest revision: each run tagged with the revision
/// that introduced it, linked to that revision's diff.
pub fn blame(doc: &DocId, b: &Blame, lang: Option<&str>) -> Markup {
    let title = format!("{doc}: blame");
    let mut out = String::with_capacity(b.text.len() * 2);
    let mut last: Option<u64> = None;
    for (t, r) in b.spans() {
        if last != Some(r.rev) {
            if last.is_some() {
                out.push_str("</span>");
            }
            out.push_str(
                &html! {
                    a.tag href=(diff_page_name(r.rev)) title={ "revision " (r.rev) } { "@" (r.rev) }
                }
                .into_string(),
            );
            out.push_str(&format!(
                r#"<span data-rev="{}" class="{}">"#,
                r.rev,
                blame_class(r.rev)
            ));
            last = Some(r.rev);
        }
        html::push_text(&mut out, t);
    }
    if last.is_some() {
        out.push_str("</span>");
    }
    let body = html! {
        nav aria-label="Site" { (doc_nav(doc)) }
        header {
            h1 { (text(&title)) }
            p { "Each passage is marked with the revision that introduced it (" code { "@N" } ", linked to its redline)." }
        }
        main {
            ul.legend {
                @for r in b.revisions.iter().rev() {
                    li { span class=(blame_class(r.rev)) { "@" (r.rev) } " " (time(&r.time)) " \u{2014} " (text(&r.message)) }
                }
            }
            div.text.blame lang=[lang] { (PreEscaped(out)) }
        }
        footer { "Exported by redliner." }
    };
    page(&title, body)
}

/// A revision's diff page against its predecessor (`prev` is `None` for
/// the first revision, shown as all inserted).
pub fn diff_page(
    doc: &DocId,
    d: &Diff,
    prev: Option<&Revision>,
    r: &Revision,
    has_next: bool,
    lang: Option<&str>,
) -> Markup {
    let rev_ref = |r: &Revision| RevRef {
        doc: Some(doc.to_string()),
        rev: Some(r.rev),
        id: Some(r.id.to_string()),
        time: Some(r.time),
        path: None,
        restores: r.restores,
        source: r.source.clone(),
    };
    let old = match prev {
        Some(p) => rev_ref(p),
        None => RevRef {
            path: Some(format!("{doc}@0 (nothing before the first revision)")),
            ..RevRef::default()
        },
    };
    let new = rev_ref(r);
    let opts = DiffOptions {
        lang: lang.map(str::to_string),
        ..DiffOptions::new(Format::Html, utc())
    };
    let nav = html! {
        (doc_nav(doc))
        ul {
            @if let Some(p) = prev { li { a href=(diff_page_name(p.rev)) rel="prev" { "\u{2190} @" (p.rev) } } }
            @if has_next { li { a href=(diff_page_name(r.rev + 1)) rel="next" { "@" (r.rev + 1) " \u{2192}" } } }
        }
    };
    html::diff_markup(d, &old, &new, &opts, &html::DiffPage { nav: Some(nav) })
}
