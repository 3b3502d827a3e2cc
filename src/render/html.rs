//! HTML: one more painter of the layout. A self-contained page (inline CSS,
//! no script, no external resource, a strict Content-Security-Policy) with
//! `<del>`/`<ins>` marks, moves linked both ways, folded context in
//! `<details>`, and the `--stat` figures. Every piece of document text, id,
//! message and source goes through maud's escaping, after control and
//! bidirectional characters are made visible as in the terminal; a source
//! becomes a link only when it is an http or https URL.

use super::layout::{Layout, Shown, Step};
use super::{escape, stat_lines, trivial_name, DiffOptions, RevRef};
use crate::diff::kinds::Kind;
use crate::diff::Diff;
use maud::{html, Markup, PreEscaped, DOCTYPE};
use std::fmt::Write as _;
use std::io::{self, Write};

/// The Content-Security-Policy of every page: nothing but inline style.
pub const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'";

/// The style of every page. Colours keep a contrast of at least 4.5:1
/// (dark text on pale marks); marks are also struck through or
/// underlined, so colour is never the only signal.
pub const CSS: &str = r#"
:root{color-scheme:light}
body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff}
header,main,footer,nav{max-width:52rem;margin:0 auto;padding:0 1rem}
header{padding-top:1rem;border-bottom:1px solid #ccc}
footer{color:#555;font-size:.85rem;padding:1rem}
h1{font-size:1.35rem;margin:.4rem 0}
h2{font-size:1.1rem}
a{color:#0645ad}
nav ol,nav ul{list-style:none;padding:0;margin:.3rem 0;display:flex;flex-wrap:wrap;gap:.2rem .9rem}
.sides{display:grid;grid-template-columns:auto 1fr;gap:.1rem .8rem;margin:.5rem 0}
.sides dt{font-weight:600}
.sides dd{margin:0}
.summary{font-size:.9rem;color:#333;background:#f4f4f4;padding:.4rem .6rem;border-radius:4px}
.summary p{margin:.1rem 0}
.note{color:#333;font-style:italic}
.text{white-space:pre-wrap;overflow-wrap:anywhere;font-family:Georgia,"Times New Roman",serif;font-size:1.05rem;line-height:1.7;margin:1rem 0}
del{padding:0 .08em;background:#ffd6d6;color:#7a0000;text-decoration:line-through;text-decoration-thickness:1px}
ins{padding:0 .08em;background:#ccf0cc;color:#004200;text-decoration:underline;text-decoration-thickness:1px}
del.break,ins.break{font-weight:bold;padding:0 .2em}
.passage{background:#e8f0ff;outline:1px dashed #4a6fa5}
a.moved-from,a.moved-to{font-family:system-ui,sans-serif;font-size:.85rem;color:#00366d;background:#dce8fb;border:1px solid #4a6fa5;border-radius:3px;padding:0 .3em;text-decoration:none}
a.moved-from:hover,a.moved-to:hover{text-decoration:underline}
:target{outline:3px solid #b35900}
.renumbered{font-family:system-ui,sans-serif;font-size:.85rem;color:#333}
.esc{font-family:ui-monospace,monospace;font-size:.85em;color:#5c0099;background:#f0e6ff;border-radius:2px}
details.fold{white-space:normal;margin:.3rem 0;border-left:3px solid #ccc;padding-left:.6rem}
details.fold>summary{cursor:pointer;color:#333;font-family:system-ui,sans-serif;font-size:.85rem}
details.fold>div{white-space:pre-wrap}
.sr{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}
td{overflow-wrap:anywhere}
td time{white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.added{color:#004200}.removed{color:#7a0000}
.blame a.tag{font-family:system-ui,sans-serif;font-size:.7rem;vertical-align:super;color:#00366d;text-decoration:none;margin:0 .1em}
.b0{background:#fff3c4}.b1{background:#dff0ff}.b2{background:#e7f7df}.b3{background:#f6e3f7}.b4{background:#ffe6d5}.b5{background:#e4e4f7}
ul.legend{list-style:none;padding:0;font-size:.9rem}
svg.churn{vertical-align:middle}
@media print{
 body{font-size:11pt}
 nav{display:none}
 del{background:none;color:#000}
 ins{background:none;color:#000}
 .passage{background:none}
 a{color:#000}
}
"#;

/// Text escaped for HTML after control and bidirectional characters are
/// made visible (each shown as a marked escape, as in the terminal).
pub fn text(s: &str) -> Markup {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    push_text(&mut out, s);
    PreEscaped(out)
}

/// Appends `s` to `out` as escaped, visible text.
pub fn push_text(out: &mut String, s: &str) {
    escape::for_each_run(s, |run, is_escape| {
        if is_escape {
            out.push_str(r#"<span class="esc">"#);
            escaped(out, run);
            out.push_str("</span>");
        } else {
            escaped(out, run);
        }
    });
}

fn escaped(out: &mut String, s: &str) {
    // maud's escaper writes to a String and cannot fail.
    let _ = maud::Escaper::new(out).write_str(s);
}

/// `s` as a link target when it is an http or https URL with nothing
/// hidden in it; anything else is never a link.
pub fn http_url(s: &str) -> Option<&str> {
    let s = s.trim();
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    let scheme_ok = lower.starts_with("http://") || lower.starts_with("https://");
    let clean = !s
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || escape::is_hidden(c));
    (scheme_ok && clean && s.len() > "https://".len()).then_some(s)
}

/// A source: a link when it is an http(s) URL, else text.
pub fn source(s: &str) -> Markup {
    match http_url(s) {
        Some(url) => html! {
            a href=(url) rel="noopener noreferrer nofollow" { (text(url)) }
        },
        None => text(s),
    }
}

/// The primary language tag of a watch entry's `--lang` (`fr-CA` from
/// `fr-CA,fr;q=0.8`), if it is a plain tag.
pub fn primary_lang(lang: &str) -> Option<String> {
    let tag = lang.split([',', ';']).next()?.trim();
    let ok = !tag.is_empty()
        && tag.len() <= 35
        && tag != "*"
        && tag.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    ok.then(|| tag.to_string())
}

/// A whole page: doctype, CSP, style, then `body`.
pub fn page(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(CSP);
                meta name="referrer" content="no-referrer";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content="redliner";
                // Visible escapes as plain text: a title holds no markup.
                title { (escape::visible(title)) }
                style { (PreEscaped(CSS)) }
            }
            body { (body) }
        }
    }
}

/// Extra parts of a diff page in an exported site.
#[derive(Default)]
pub struct DiffPage {
    /// Navigation links, shown above the header.
    pub nav: Option<Markup>,
}

/// Writes a diff as a self-contained HTML page.
pub fn diff(
    w: &mut dyn Write,
    d: &Diff,
    old: &RevRef,
    new: &RevRef,
    opts: &DiffOptions,
    extra: &DiffPage,
) -> io::Result<()> {
    let page = diff_markup(d, old, new, opts, extra);
    w.write_all(page.into_string().as_bytes())?;
    w.flush()
}

/// The title of a diff page.
fn title(old: &RevRef, new: &RevRef) -> String {
    let name = |r: &RevRef| match (&r.doc, r.rev) {
        (Some(doc), Some(rev)) => format!("{doc}@{rev}"),
        _ => r.path.clone().unwrap_or_else(|| "-".to_string()),
    };
    format!("Redline: {} \u{2192} {}", name(old), name(new))
}

/// One side of the header.
fn side(r: &RevRef, opts: &DiffOptions) -> Markup {
    html! {
        @match (&r.doc, r.rev) {
            (Some(doc), Some(rev)) => {
                (text(doc)) "@" (rev)
                @if let Some(id) = &r.id { " " code title=(id) { (text(id.get(..7).unwrap_or(id))) } }
                @if let Some(t) = &r.time { ", " time datetime=(t.rfc3339()) { (t.human(&opts.tz)) } }
                @if let Some(n) = r.restores { ", restores @" (n) }
            }
            _ => { (text(r.path.as_deref().unwrap_or("-"))) }
        }
        @if let Some(s) = &r.source { br; "source: " (source(s)) }
    }
}

/// A diff as a whole page.
pub fn diff_markup(
    d: &Diff,
    old: &RevRef,
    new: &RevRef,
    opts: &DiffOptions,
    extra: &DiffPage,
) -> Markup {
    let title = title(old, new);
    let body = html! {
        @if let Some(nav) = &extra.nav { nav aria-label="Site" { (nav) } }
        header {
            h1 { (text(&title)) }
            dl.sides {
                dt { "Old" } dd { (side(old, opts)) }
                dt { "New" } dd { (side(new, opts)) }
            }
        }
        main {
            section.summary aria-label="Summary" {
                @for line in stat_lines(d) { p { (line) } }
            }
            @if !opts.stat_only { (redline(d, old, new, opts)) }
        }
        footer { "Made by redliner. Deletions are struck through, insertions underlined; moved passages link to where they were." }
    };
    page(&title, body)
}

/// The redline itself: a note, or the marked text.
pub fn redline(d: &Diff, old: &RevRef, new: &RevRef, opts: &DiffOptions) -> Markup {
    let body = match super::layout::layout(d, &opts.filter, opts.context, opts.changes_only) {
        Layout::NoDifferences => return html! { p.note { "No differences." } },
        Layout::Only(what) => {
            let names: Vec<&str> = what.into_iter().map(trivial_name).collect();
            return html! { p.note { "Only " (names.join(" and ")) " changed; no words changed." } };
        }
        Layout::NothingShown { hidden } if hidden.is_empty() => {
            return html! { p.note { "Only whitespace or line breaks changed; no words changed." } }
        }
        Layout::NothingShown { hidden } => {
            return html! { p.note { "No changes shown; hidden: " (hidden_list(&hidden)) "." } }
        }
        Layout::Body(body) => body,
    };
    let hidden: Vec<(Kind, u64)> = d
        .changes
        .iter()
        .filter(|(k, _)| opts.filter.hides(*k))
        .copied()
        .collect();
    let times = (
        old.time.as_ref().map(|t| t.rfc3339()),
        new.time.as_ref().map(|t| t.rfc3339()),
    );
    let mut p = Paint {
        out: String::with_capacity(d.old.len() + d.new.len() / 2 + 1024),
        del_time: times.0,
        ins_time: times.1,
        in_passage: false,
        line_open: false,
    };
    let _ = body.steps(|step| -> Result<(), ()> {
        p.step(step);
        Ok(())
    });
    p.close_passage();
    html! {
        @if body.coarse { p.note { "Some passages changed too much to align word by word; they are shown as whole replacements." } }
        @if !hidden.is_empty() { p.note { "Hidden: " (hidden_list(&hidden)) "." } }
        div.text lang=[opts.lang.as_deref()] { (PreEscaped(p.out)) }
    }
}

fn hidden_list(hidden: &[(Kind, u64)]) -> String {
    let parts: Vec<String> = hidden
        .iter()
        .map(|(k, n)| format!("{} {n}", k.name()))
        .collect();
    parts.join(", ")
}

/// The marked text, written segment by segment.
struct Paint {
    out: String,
    del_time: Option<String>,
    ins_time: Option<String>,
    /// A moved passage's `<span>` is open.
    in_passage: bool,
    /// The text shown last did not end its line.
    line_open: bool,
}

impl Paint {
    fn step(&mut self, step: Step) {
        match step {
            Step::FoldOpen { count, paragraphs } => {
                self.close_passage();
                self.line_open = false;
                let unit = if paragraphs { "paragraph" } else { "line" };
                let s = if count == 1 { "" } else { "s" };
                let _ = write!(
                    self.out,
                    r#"<details class="fold"><summary>{count} unchanged {unit}{s}</summary><div>"#
                );
            }
            Step::FoldClose => {
                self.close_passage();
                self.line_open = false;
                self.out.push_str("</div></details>");
            }
            Step::Segment((shown, t), kind) => {
                let ends_passage = kind != Some(Kind::Moved)
                    || matches!(shown, Shown::MovedFrom { .. } | Shown::MovedTo { .. })
                    || (shown == Shown::Same && crate::diff::is_blank(t) && t.contains('\n'));
                if self.in_passage && ends_passage {
                    self.close_passage();
                }
                self.segment(shown, t, kind);
                if !t.is_empty() {
                    self.line_open = !t.ends_with('\n');
                }
            }
        }
    }

    fn close_passage(&mut self) {
        if self.in_passage {
            self.out.push_str("</span>");
            self.in_passage = false;
        }
    }

    fn mark(
        &mut self,
        deleted: bool,
        kind: Option<Kind>,
        extra_class: &str,
        body: impl FnOnce(&mut String),
    ) {
        let (tag, sr, time) = if deleted {
            ("del", "deletion", &self.del_time)
        } else {
            ("ins", "insertion", &self.ins_time)
        };
        let _ = write!(
            self.out,
            r#"<span class="sr">[{sr}: </span><{tag} class="k-{}{extra_class}""#,
            kind.map_or("words", Kind::name)
        );
        if let Some(t) = time {
            self.out.push_str(" datetime=\"");
            escaped(&mut self.out, t);
            self.out.push('"');
        }
        self.out.push('>');
        body(&mut self.out);
        let _ = write!(self.out, r#"</{tag}><span class="sr">]</span>"#);
    }

    fn segment(&mut self, shown: Shown, t: &str, kind: Option<Kind>) {
        match shown {
            Shown::Same => push_text(&mut self.out, t),
            Shown::Deleted | Shown::Inserted | Shown::DeletedSpaced | Shown::InsertedSpaced => {
                let spaced = matches!(shown, Shown::DeletedSpaced | Shown::InsertedSpaced);
                let core = if spaced { t } else { t.trim_start() };
                let lead = &t[..t.len() - core.len()];
                let core = core.trim_end();
                let trail = &t[lead.len() + core.len()..];
                push_text(&mut self.out, lead);
                let deleted = matches!(shown, Shown::Deleted | Shown::DeletedSpaced);
                self.mark(deleted, kind, "", |o| push_text(o, core));
                push_text(&mut self.out, trail);
            }
            Shown::BreakAdded | Shown::BreakRemoved => {
                let deleted = shown == Shown::BreakRemoved;
                let what = if deleted {
                    "paragraph break removed"
                } else {
                    "paragraph break added"
                };
                let _ = write!(self.out, r#"<span class="sr">[{what}]</span>"#);
                self.mark(deleted, kind, " break", |o| {
                    o.push_str(r#"<span aria-hidden="true">¶</span>"#)
                });
            }
            Shown::MovedFrom { id, down, cut } => {
                let dir = if down {
                    "\u{2193} below"
                } else {
                    "\u{2191} above"
                };
                let more = if cut { "\u{2026}" } else { "" };
                let _ = write!(
                    self.out,
                    r##"<a class="moved-from" id="move-{id}-from" href="#move-{id}-to"><span class="sr">moved from here: </span>moved {dir}: “"##
                );
                push_text(&mut self.out, t);
                let _ = write!(self.out, "{more}”</a>");
            }
            Shown::MovedTo {
                id,
                down,
                opens_line,
            } => {
                let dir = if down {
                    "\u{2191} from above"
                } else {
                    "\u{2193} from below"
                };
                // As in plain text: a passage that opens a line in the new
                // text opens one here too.
                if opens_line && self.line_open {
                    self.out.push('\n');
                }
                let _ = write!(
                    self.out,
                    r##"<a class="moved-to" id="move-{id}-to" href="#move-{id}-from"><span class="sr">moved to here: </span>moved here {dir}</a> <span class="passage">"##
                );
                self.in_passage = true;
            }
            Shown::Renumbered { count, sections } => {
                let what = super::renumber::label(sections);
                let _ = write!(
                    self.out,
                    r#"<span class="renumbered">[{count} {what} changed: "#
                );
                self.mark(true, kind, "", |o| push_text(o, t));
                self.out.push_str(" \u{2192} ");
            }
            Shown::RenumberedTo => {
                self.mark(false, kind, "", |o| push_text(o, t));
                self.out.push_str(" \u{2026}]</span>\n");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_clean_http_urls_become_links() {
        assert_eq!(
            http_url("https://example.org/a?b=1&c"),
            Some("https://example.org/a?b=1&c")
        );
        assert_eq!(http_url("HTTP://x.org"), Some("HTTP://x.org"));
        assert_eq!(http_url("javascript:alert(1)"), None);
        assert_eq!(http_url("https://x.org/\u{202e}gpj"), None);
        assert_eq!(http_url("https://x.org/ a"), None);
        assert_eq!(http_url("data:text/html,<script>"), None);
        assert_eq!(http_url("/etc/passwd"), None);
        assert_eq!(http_url("https://"), None);
    }

    #[test]
    fn text_is_escaped_and_made_visible() {
        let t = text("<script>a&b</script>\"x\" \u{202e}\u{1b}[31m").into_string();
        assert_eq!(
            t,
            "&lt;script&gt;a&amp;b&lt;/script&gt;&quot;x&quot; <span class=\"esc\">\\u{202e}</span><span class=\"esc\">\\x1b</span>[31m"
        );
    }

    #[test]
    fn language_tags() {
        assert_eq!(primary_lang("fr-CA,fr;q=0.8").as_deref(), Some("fr-CA"));
        assert_eq!(primary_lang("en").as_deref(), Some("en"));
        assert_eq!(primary_lang("*"), None);
        assert_eq!(primary_lang("\"><x"), None);
    }
}

#[cfg(test)]
mod contrast {
    use super::CSS;

    fn rgb(hex: &str) -> Option<[f64; 3]> {
        let h = hex.strip_prefix('#')?;
        let h: String = match h.len() {
            3 => h.chars().flat_map(|c| [c, c]).collect(),
            6 => h.to_string(),
            _ => return None,
        };
        let v = u32::from_str_radix(&h, 16).ok()?;
        Some([(v >> 16) as u8, (v >> 8) as u8, v as u8].map(|c| f64::from(c) / 255.0))
    }

    fn luminance(c: [f64; 3]) -> f64 {
        let l = c.map(|x| {
            if x <= 0.039_28 {
                x / 12.92
            } else {
                ((x + 0.055) / 1.055).powf(2.4)
            }
        });
        0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2]
    }

    fn ratio(a: [f64; 3], b: [f64; 3]) -> f64 {
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    fn value<'a>(rule: &'a str, prop: &str) -> Option<&'a str> {
        rule.split([';', '{', '}'])
            .find_map(|d| d.trim().strip_prefix(prop)?.trim().strip_prefix(':'))
            .map(|v| v.split_whitespace().next().unwrap_or(""))
    }

    /// Every screen rule that sets both a text colour and a background
    /// keeps 4.5:1 (WCAG AA); text with a colour alone is on white.
    #[test]
    fn every_coloured_rule_keeps_a_contrast_of_4_5() {
        let screen = &CSS[..CSS.find("@media print").expect("print css")];
        let mut checked = 0;
        for rule in screen.split('}') {
            let Some(fg) = value(rule, "color").and_then(rgb) else {
                continue;
            };
            let bg = value(rule, "background")
                .and_then(rgb)
                .unwrap_or([1.0, 1.0, 1.0]);
            let r = ratio(fg, bg);
            assert!(r >= 4.5, "{rule}: contrast {r:.2}");
            checked += 1;
        }
        assert!(checked >= 8, "{checked} rules checked");
        // Marks on the pale backgrounds used for moved passages and blame.
        for bg in [
            "#e8f0ff", "#fff3c4", "#dff0ff", "#e7f7df", "#f6e3f7", "#ffe6d5", "#e4e4f7",
        ] {
            let bg = rgb(bg).expect("colour");
            for fg in ["#1a1a1a", "#0645ad", "#7a0000", "#004200"] {
                let r = ratio(rgb(fg).expect("colour"), bg);
                assert!(r >= 4.5, "{fg} on {bg:?}: {r:.2}");
            }
        }
    }
}
