//! The layout: what a diff shows, decided once from a `Diff` and a
//! `Filter` (hidden kinds, wdiff's -1/-2, paragraph breaks made visible,
//! moves as a stub and a passage), and which paragraphs are shown or folded
//! around the changes. Painters (plain, colour, HTML) only paint it.

use super::blocks::{blocks, Blocks};
use super::pieces::pieces;
use crate::diff::kinds::Kind;
use crate::diff::{has_blank_line, Diff, Filter, Precision, Trivial};

/// How much unchanged text to show around changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    All,
    Paragraphs(usize),
}

/// What a diff shows.
#[derive(Debug, Clone)]
pub enum Layout<'a> {
    /// The texts are identical.
    NoDifferences,
    /// Only line endings, a byte-order mark or Unicode normalisation changed.
    Only(Vec<Trivial>),
    /// Nothing to show: every change is of a hidden kind (listed, with
    /// counts), or, when none is hidden, only whitespace changed.
    NothingShown { hidden: Vec<(Kind, u64)> },
    /// Changes to show.
    Body(Body<'a>),
}

/// The shown changes: segments, cut into paragraphs (or lines) with the
/// unchanged ones far from any change folded.
#[derive(Debug, Clone)]
pub struct Body<'a> {
    /// Some changed region was too large to align word by word.
    pub coarse: bool,
    segments: Vec<Segment<'a>>,
    /// The kind of change each segment belongs to (`None` for text outside
    /// any change), parallel to `segments`.
    kinds: Vec<Option<Kind>>,
    /// `None` shows every segment (context `all`).
    plan: Option<Plan>,
}

#[derive(Debug, Clone)]
struct Plan {
    blocks: Blocks,
    show: Vec<bool>,
    /// Blocks are paragraphs (the text has blank lines), else lines.
    paragraphs: bool,
}

/// One step of a body, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item<'a> {
    Segment(Segment<'a>),
    /// `count` unchanged paragraphs (or lines) left out; `last` when
    /// nothing follows.
    Fold {
        count: usize,
        paragraphs: bool,
        last: bool,
    },
}

impl<'a> Body<'a> {
    /// Every segment, folded or not, in order.
    pub fn segments(&self) -> &[Segment<'a>] {
        &self.segments
    }

    /// Visits the items to show, in order.
    pub fn walk<E>(&self, mut f: impl FnMut(Item<'a>) -> Result<(), E>) -> Result<(), E> {
        let Some(plan) = &self.plan else {
            for &s in &self.segments {
                f(Item::Segment(s))?;
            }
            return Ok(());
        };
        let n = plan.blocks.len();
        let mut i = 0;
        while i < n {
            if plan.show[i] {
                for s in plan.blocks.get(&self.segments, i) {
                    f(Item::Segment(s))?;
                }
                i += 1;
            } else {
                let start = i;
                while i < n && !plan.show[i] {
                    i += 1;
                }
                f(Item::Fold {
                    count: i - start,
                    paragraphs: plan.paragraphs,
                    last: i == n,
                })?;
            }
        }
        Ok(())
    }

    /// Visits every segment in order, folded ones included (between a
    /// `FoldOpen` and a `FoldClose`), each with the kind of the change it
    /// belongs to: for painters that keep the whole text, such as HTML.
    pub fn steps<E>(&self, mut f: impl FnMut(Step<'a>) -> Result<(), E>) -> Result<(), E> {
        let Some(plan) = &self.plan else {
            for (k, &s) in self.segments.iter().enumerate() {
                f(Step::Segment(s, self.kinds.get(k).copied().flatten()))?;
            }
            return Ok(());
        };
        let n = plan.blocks.len();
        let mut i = 0;
        while i < n {
            let start = i;
            let shown = plan.show[i];
            while i < n && plan.show[i] == shown {
                i += 1;
            }
            if !shown {
                f(Step::FoldOpen {
                    count: i - start,
                    paragraphs: plan.paragraphs,
                })?;
            }
            for b in start..i {
                for (k, s) in plan.blocks.get_indexed(&self.segments, b) {
                    f(Step::Segment(s, self.kinds.get(k).copied().flatten()))?;
                }
            }
            if !shown {
                f(Step::FoldClose)?;
            }
        }
        Ok(())
    }
}

/// One step of `Body::steps`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<'a> {
    /// A segment and the kind of the change it belongs to.
    Segment(Segment<'a>, Option<Kind>),
    /// `count` unchanged paragraphs (or lines) folded: their segments
    /// follow, up to `FoldClose`.
    FoldOpen {
        count: usize,
        paragraphs: bool,
    },
    FoldClose,
}

/// Lays out a diff: what is shown of it under `filter`, with `context`
/// unchanged paragraphs around each change (`changes_only`: only the
/// changed lines, each whole).
pub fn layout<'a>(
    diff: &Diff<'a>,
    filter: &Filter,
    context: Context,
    changes_only: bool,
) -> Layout<'a> {
    if !diff.has_changes() {
        return Layout::NoDifferences;
    }
    if let Some(what) = &diff.trivial {
        return Layout::Only(what.clone());
    }
    let (segments, kinds) = pieces(diff, filter);
    if !segments.iter().any(|(k, _)| k.is_change()) {
        let hidden = diff
            .changes
            .iter()
            .filter(|(k, _)| filter.hides(*k))
            .copied()
            .collect();
        return Layout::NothingShown { hidden };
    }
    let (context, line_mode) = if changes_only {
        (Context::Paragraphs(0), true)
    } else {
        (context, false)
    };
    let plan = match context {
        Context::All => None,
        Context::Paragraphs(c) => {
            let paragraphs = !line_mode && (has_blank_line(diff.old) || has_blank_line(diff.new));
            let blocks = blocks(&segments, paragraphs);
            let n = blocks.len();
            let mut show = vec![false; n];
            for i in (0..n).filter(|&i| blocks.get(&segments, i).any(|(k, _)| k.is_change())) {
                for s in show
                    .iter_mut()
                    .take((i + c + 1).min(n))
                    .skip(i.saturating_sub(c))
                {
                    *s = true;
                }
            }
            Some(Plan {
                blocks,
                show,
                paragraphs,
            })
        }
    };
    Layout::Body(Body {
        coarse: diff.precision == Precision::Coarse,
        segments,
        kinds,
        plan,
    })
}

/// How a piece of the diff is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// Unchanged, or a hidden change shown as its new text.
    Same,
    Deleted,
    Inserted,
    /// Deleted (inserted) text with the space before it, which the other
    /// side lacks: `Cumbria[- and-]{+,+} Lancashire`. The space is inside
    /// the marker, so that each side reads right (not `Cumbriaand`, nor
    /// `Cumbria ,`).
    DeletedSpaced,
    InsertedSpaced,
    /// A paragraph break inserted or removed (a marker; no text).
    BreakAdded,
    BreakRemoved,
    /// Where a moved passage was; the text is its opening words (`cut`
    /// when they are not the whole passage).
    MovedFrom {
        id: usize,
        down: bool,
        cut: bool,
    },
    /// Where a moved passage is now (a marker; its text follows);
    /// `opens_line` when the passage starts a line of the new text.
    MovedTo {
        id: usize,
        down: bool,
        opens_line: bool,
    },
    /// The summary of a run of `count` list items whose markers alone
    /// changed (`*` -> `1.`, or renumbered after an insertion): the text is
    /// the first item's old marker; `RenumberedTo` follows with its new
    /// one. The items are then shown with their new markers, unmarked.
    Renumbered {
        count: usize,
        /// Section numbers (headings, numbered paragraphs), not list
        /// markers: `renumber::label` names them.
        sections: bool,
    },
    RenumberedTo,
}

impl Shown {
    /// Whether the segment marks a change (anything but unchanged text).
    pub fn is_change(self) -> bool {
        self != Shown::Same
    }
}

/// A piece of text and how it is shown. The text is document text (for
/// `MovedFrom`, the passage's opening words; empty for the other markers).
pub type Segment<'a> = (Shown, &'a str);
