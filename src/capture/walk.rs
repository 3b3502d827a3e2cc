//! redliner's own HTML-to-text walker. It is small and kept here, not taken
//! from a dependency, so that upgrading a parser never rewrites every stored
//! text. Bump [`WALKER_VERSION`] whenever its output changes.
//!
//! - A blank line between blocks; inline text has its white space collapsed.
//! - `- ` before each item of `ul`, `N. ` before each item of `ol`; `dt` and
//!   `dd` on lines of their own; table cells separated by tabs, one row per
//!   line; the lines of one list, definition list or table are consecutive.
//! - `pre` verbatim.
//! - Skipped: `hidden`, `aria-hidden="true"`, `display:none`, scripts,
//!   styles and other non-text elements; `nav`, `header`, `footer` and
//!   `form` too, unless inside an `article`.
//! - Finally NFC, and special spaces (no-break and the like) made plain.

use dom_query::NodeRef;
use unicode_normalization::UnicodeNormalization;

/// Changes whenever the walker's output for the same page changes.
pub const WALKER_VERSION: u32 = 1;

/// Elements whose content is never text.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "head", "title", "svg", "math", "iframe", "object",
    "embed", "canvas", "video", "audio", "select", "option", "button", "input", "textarea",
    "dialog", "link", "meta",
];

/// Page furniture: skipped outside an `article`.
const CHROME: &[&str] = &["nav", "header", "footer", "form"];

/// Elements that start and end a block.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "aside",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "figure",
    "figcaption",
    "address",
    "hr",
    "details",
    "summary",
    "center",
    "fieldset",
    "legend",
    "caption",
    "body",
    "html",
    "header",
    "footer",
    "nav",
    "form",
];

/// A chunk of output: its text, and the outermost list, definition list or
/// table it belongs to (consecutive chunks of the same one are separated by
/// one line break instead of a blank line).
struct Chunk {
    text: String,
    group: Option<usize>,
}

#[derive(Clone, Copy)]
enum List {
    Bullets,
    Numbers(u64),
    Other,
}

struct Walker {
    chunks: Vec<Chunk>,
    /// The inline text being gathered.
    line: String,
    /// A collapsed white-space run is waiting to be written.
    space: bool,
    /// Open lists, definition lists and tables, innermost last, with the id
    /// of each.
    lists: Vec<(List, usize)>,
    next_group: usize,
    /// Open `article` elements.
    articles: usize,
    /// Open table cells (blocks inside a cell become spaces).
    cells: usize,
    /// Cells written in the current row.
    row_cells: usize,
}

enum Step<'a> {
    Enter(NodeRef<'a>),
    Leave(String),
}

/// The text of the elements in `roots`, in order, as one text.
pub fn text_of(roots: &[NodeRef<'_>]) -> String {
    let mut w = Walker {
        chunks: Vec::new(),
        line: String::new(),
        space: false,
        lists: Vec::new(),
        next_group: 0,
        articles: 0,
        cells: 0,
        row_cells: 0,
    };
    for root in roots {
        w.walk(root, true);
        w.flush();
    }
    w.finish()
}

fn is_hidden(node: &NodeRef<'_>) -> bool {
    if node.has_attr("hidden") {
        return true;
    }
    if node
        .attr("aria-hidden")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    {
        return true;
    }
    node.attr("style").is_some_and(|s| {
        let s: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        s.contains("display:none") || s.contains("visibility:hidden")
    })
}

impl Walker {
    /// Walks `root` without recursion (a deeply nested page cannot exhaust
    /// the stack). The root itself is never skipped as chrome.
    fn walk(&mut self, root: &NodeRef<'_>, is_root: bool) {
        let mut stack = vec![Step::Enter(*root)];
        let mut first = is_root;
        while let Some(step) = stack.pop() {
            match step {
                Step::Enter(node) => {
                    let root_now = std::mem::take(&mut first);
                    if node.is_text() {
                        self.text(&node.text());
                        continue;
                    }
                    if !(node.is_element() || node.is_document() || node.is_fragment()) {
                        continue;
                    }
                    let name = node
                        .node_name()
                        .map(|n| n.to_ascii_lowercase())
                        .unwrap_or_default();
                    if node.is_element() && !self.keep(&node, &name, root_now) {
                        continue;
                    }
                    if name == "pre" {
                        self.pre(&node);
                        continue;
                    }
                    self.open(&name);
                    stack.push(Step::Leave(name));
                    let children: Vec<NodeRef<'_>> = node.children_it(true).collect();
                    stack.extend(children.into_iter().map(Step::Enter));
                }
                Step::Leave(name) => self.close(&name),
            }
        }
    }

    fn keep(&self, node: &NodeRef<'_>, name: &str, is_root: bool) -> bool {
        if SKIPPED.contains(&name) || is_hidden(node) {
            return false;
        }
        is_root || self.articles > 0 || !CHROME.contains(&name)
    }

    fn open(&mut self, name: &str) {
        match name {
            "ul" | "ol" | "dl" | "table" | "menu" => {
                self.block();
                let kind = match name {
                    "ul" | "menu" => List::Bullets,
                    "ol" => List::Numbers(0),
                    _ => List::Other,
                };
                let group = self.lists.first().map_or(self.next_group, |l| l.1);
                self.next_group += 1;
                self.lists.push((kind, group));
            }
            "li" => {
                self.block();
                let depth = self.lists.len().saturating_sub(1);
                let marker = match self.lists.last_mut() {
                    Some((List::Numbers(n), _)) => {
                        *n += 1;
                        format!("{n}. ")
                    }
                    _ => "- ".to_string(),
                };
                self.line.push_str(&"  ".repeat(depth));
                self.line.push_str(&marker);
            }
            "dt" | "dd" | "tr" => {
                self.block();
                self.row_cells = 0;
            }
            "td" | "th" => {
                if self.row_cells > 0 {
                    self.line.push('\t');
                }
                self.row_cells += 1;
                self.space = false;
                self.cells += 1;
            }
            "br" => {
                self.line.push('\n');
                self.space = false;
            }
            "article" => {
                self.articles += 1;
                self.block();
            }
            _ if BLOCKS.contains(&name) => self.block(),
            _ => {}
        }
    }

    fn close(&mut self, name: &str) {
        match name {
            "ul" | "ol" | "dl" | "table" | "menu" => {
                self.block();
                self.lists.pop();
            }
            "li" | "dt" | "dd" | "tr" => self.block(),
            "td" | "th" => {
                self.cells = self.cells.saturating_sub(1);
                self.space = false;
            }
            "article" => {
                self.block();
                self.articles = self.articles.saturating_sub(1);
            }
            _ if BLOCKS.contains(&name) => self.block(),
            _ => {}
        }
    }

    /// Inline text: white space runs collapse to one space.
    fn text(&mut self, s: &str) {
        for c in s.chars() {
            if c.is_whitespace() {
                self.space = true;
            } else {
                if self.space && !self.line.is_empty() && !self.line.ends_with(['\n', '\t', ' ']) {
                    self.line.push(' ');
                }
                self.space = false;
                self.line.push(c);
            }
        }
    }

    /// A `pre` element: its text as it is, as a block of its own.
    fn pre(&mut self, node: &NodeRef<'_>) {
        self.block();
        let text = node.text();
        let text = text.strip_prefix('\n').unwrap_or(&text);
        self.line.push_str(text.trim_end());
        self.flush_raw();
    }

    /// Ends the current block (inside a table cell, a space instead).
    fn block(&mut self) {
        if self.cells > 0 {
            self.space = true;
        } else {
            self.flush();
        }
    }

    fn flush(&mut self) {
        let mut text = String::with_capacity(self.line.len());
        for (i, l) in self.line.split('\n').enumerate() {
            if i > 0 {
                text.push('\n');
            }
            text.push_str(l.trim_end_matches(' '));
        }
        let text = text.trim_matches('\n');
        if !text.trim().is_empty() {
            let group = self.lists.first().map(|l| l.1);
            self.chunks.push(Chunk {
                text: text.to_string(),
                group,
            });
        }
        self.line.clear();
        self.space = false;
    }

    fn flush_raw(&mut self) {
        if !self.line.trim().is_empty() {
            let group = self.lists.first().map(|l| l.1);
            self.chunks.push(Chunk {
                text: std::mem::take(&mut self.line),
                group,
            });
        }
        self.line.clear();
        self.space = false;
    }

    fn finish(self) -> String {
        let mut out = String::new();
        let mut prev: Option<usize> = None;
        for (i, c) in self.chunks.iter().enumerate() {
            if i > 0 {
                let tight = c.group.is_some() && c.group == prev;
                out.push_str(if tight { "\n" } else { "\n\n" });
            }
            out.push_str(&c.text);
            prev = c.group;
        }
        normalize(&out)
    }
}

/// NFC, special spaces made plain spaces, trailing spaces of each line
/// removed, and one final line break (none for an empty text).
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 1);
    for c in s.nfc() {
        out.push(if is_special_space(c) { ' ' } else { c });
    }
    let mut lines: Vec<&str> = out.lines().map(|l| l.trim_end_matches(' ')).collect();
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    while lines.first().is_some_and(|l| l.trim().is_empty()) {
        lines.remove(0);
    }
    let mut text = lines.join("\n");
    if !text.is_empty() {
        text.push('\n');
    }
    text
}

/// Spaces other than the plain one that read as one: no-break, the en/em
/// family, narrow no-break, medium mathematical, ideographic, Ogham.
fn is_special_space(c: char) -> bool {
    matches!(
        c,
        '\u{a0}' | '\u{1680}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use dom_query::Document;

    fn text(html: &str) -> String {
        let doc = Document::from(html);
        text_of(&[doc.root()])
    }

    #[test]
    fn blocks_are_separated_by_blank_lines() {
        assert_eq!(
            text("<p>One\n  two</p><div>Three <b>four</b></div><h2>Five</h2>"),
            "One two\n\nThree four\n\nFive\n"
        );
    }

    #[test]
    fn lists_get_markers() {
        assert_eq!(
            text(
                "<p>Intro</p><ul><li>a</li><li>b<ol><li>c</li><li>d</li></ol></li></ul><p>End</p>"
            ),
            "Intro\n\n- a\n- b\n  1. c\n  2. d\n\nEnd\n"
        );
    }

    #[test]
    fn definitions_and_tables() {
        assert_eq!(
            text("<dl><dt>Term</dt><dd>Meaning</dd></dl><table><tr><th>A</th><th>B</th></tr><tr><td><p>1</p><p>x</p></td><td>2</td></tr></table>"),
            "Term\nMeaning\n\nA\tB\n1 x\t2\n"
        );
    }

    #[test]
    fn pre_is_verbatim_and_br_breaks_lines() {
        assert_eq!(
            text("<p>a<br>b</p><pre>  x\n    y  z\n</pre>"),
            "a\nb\n\n  x\n    y  z\n"
        );
    }

    #[test]
    fn hidden_and_chrome_are_skipped() {
        let html = "<nav>Menu</nav><header>Site</header><p hidden>h</p><p aria-hidden=true>a</p>\
            <p style='display: none'>d</p><script>x()</script><style>p{}</style>\
            <article><header>Title</header><p>Body</p><footer>Byline</footer></article>\
            <footer>Copyright</footer><form>Search</form>";
        assert_eq!(text(html), "Title\n\nBody\n\nByline\n");
    }

    #[test]
    fn special_spaces_and_nfc() {
        assert_eq!(
            text("<p>a&nbsp;b\u{2009}c</p><pre>x\u{a0}y</pre><p>e\u{301}</p>"),
            "a b c\n\nx y\n\n\u{e9}\n"
        );
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let html = "<div>".repeat(20_000) + "deep" + &"</div>".repeat(20_000);
        assert_eq!(text(&html), "deep\n");
    }
}
