//! A replacement that rewrites list items whole is shown as whole items.
//!
//! In a reordered or rewritten list of links, the minimal diff keeps the
//! item's marks and cuts across items: `* [[-Twitter](…)¶* [Pinterest](…-]
//! {+Bing](…)¶* [Facebook](…+})`. When the only unchanged text left on the
//! replacement's first line before it is a list item's marks (a marker and
//! brackets or emphasis, no letter or digit), and the only unchanged text
//! after it on its last line is marks too, the items were replaced whole:
//! the marks are folded into both sides, `[-* [Twitter](…)¶* [Pinterest](…)-]
//! {+* [Bing](…)¶* [Facebook](…)+}`, and an insertion (deletion) of whole
//! items that then follows joins it. The replacement must span a line break,
//! or be followed by such an insertion or deletion: a one-item edit in
//! place (`* [[-Twitter-]{+X+}](…)`) keeps its marks unchanged.

use super::engine::Raw;
use super::tokenize::count_words;
use super::{Op, OpKind};

/// Widens each replacement of whole list items (see the module comment).
pub(crate) fn apply(raw: &mut Raw<'_>) {
    let (old, new) = (raw.old, raw.new);
    let mut k = 1;
    // ops[k - 1] equal, ops[k] delete, ops[k + 1] insert, ops[k + 2] equal.
    while k + 2 < raw.ops.len() {
        let ops = &raw.ops;
        let (e0, d, i, e1) = (&ops[k - 1], &ops[k], &ops[k + 1], &ops[k + 2]);
        if e0.kind != OpKind::Equal
            || d.kind != OpKind::Delete
            || i.kind != OpKind::Insert
            || e1.kind != OpKind::Equal
        {
            k += 1;
            continue;
        }
        let before = &old[e0.old.clone()];
        let after = &old[e1.old.clone()];
        // The item's opening marks: from the line start to the change.
        let Some(line) = before
            .rfind('\n')
            .map(|p| p + 1)
            .or_else(|| (e0.old.start == 0 || old[..e0.old.start].ends_with('\n')).then_some(0))
        else {
            k += 1;
            continue;
        };
        let p = &before[line..];
        let s_len = after.find('\n').unwrap_or(after.len());
        let s = &after[..s_len];
        let marks_only = |t: &str| !t.chars().any(char::is_alphanumeric);
        let opens_item = crate::text::list_marker_len(p)
            .is_some_and(|n| p[n..].starts_with(' ') && marks_only(&p[n..]));
        let crosses = old[d.old.clone()].contains('\n') || new[i.new.clone()].contains('\n');
        // Whole items inserted or deleted right after, when `s` is all of e1.
        let joins = s_len == after.len()
            && raw.ops.get(k + 3).is_some_and(|op| {
                let t = match op.kind {
                    OpKind::Insert => &new[op.new.clone()],
                    OpKind::Delete => &old[op.old.clone()],
                    OpKind::Equal => return false,
                };
                t.starts_with(['\n', '\r'])
            });
        if !opens_item || !marks_only(s) || !(crosses || joins) {
            k += 1;
            continue;
        }
        let (p_len, s_len) = (p.len(), s.len());
        let words_before = (
            count_words(&old[d.old.clone()]),
            count_words(&new[i.new.clone()]),
        );
        let (e0, d, i, e1) = (e0.clone(), d.clone(), i.clone(), e1.clone());
        let nd = Op {
            kind: OpKind::Delete,
            old: d.old.start - p_len..d.old.end + s_len,
            new: e0.new.end - p_len..e0.new.end - p_len,
        };
        let ni = Op {
            kind: OpKind::Insert,
            old: e1.old.start + s_len..e1.old.start + s_len,
            new: i.new.start - p_len..i.new.end + s_len,
        };
        // The marks folded in, if they count as words, are now changed.
        raw.removed += count_words(&old[nd.old.clone()]).saturating_sub(words_before.0);
        raw.added += count_words(&new[ni.new.clone()]).saturating_sub(words_before.1);
        let mut head = Vec::with_capacity(4);
        if p_len < e0.old.len() {
            head.push(Op {
                kind: OpKind::Equal,
                old: e0.old.start..e0.old.end - p_len,
                new: e0.new.start..e0.new.end - p_len,
            });
        }
        head.push(nd);
        head.push(ni);
        if s_len < e1.old.len() {
            head.push(Op {
                kind: OpKind::Equal,
                old: e1.old.start + s_len..e1.old.end,
                new: e1.new.start + s_len..e1.new.end,
            });
        }
        let at = k - 1 + usize::from(p_len < e0.old.len());
        raw.ops.splice(k - 1..=k + 2, head);
        // Join the whole items inserted or deleted next (now adjacent).
        let (nd_at, ni_at) = (at, at + 1);
        if let Some(next) = raw.ops.get(ni_at + 1).cloned() {
            match next.kind {
                OpKind::Insert => {
                    raw.ops[ni_at].new.end = next.new.end;
                    raw.ops.remove(ni_at + 1);
                }
                OpKind::Delete => {
                    raw.ops[nd_at].old.end = next.old.end;
                    raw.ops[ni_at].old = next.old.end..next.old.end;
                    raw.ops.remove(ni_at + 1);
                }
                OpKind::Equal => {}
            }
        }
        k = at + 2;
    }
}

#[cfg(test)]
mod tests {

    use super::super::tests::marked_raw as marked;

    #[test]
    fn list_items_replaced_across_lines_are_whole_items() {
        let old = "Partners:\n\n* [Twitter](https://t.example/c)\n* [Pinterest](https://p.example/c)\n* [Google](https://g.example/c)\n";
        let new = "Partners:\n\n* [Bing](https://b.example/p)\n* [Facebook](https://f.example/c)\n* [Google](https://g.example/c)\n";
        let m = marked(old, new);
        assert!(
            m.starts_with("Partners:\n\n[-* [Twitter](https://t.example/c)\n* [Pinterest](https://p.example/c)-]{+* [Bing](https://b.example/p)\n* [Facebook](https://f.example/c)+}\n* [Google]"),
            "{m}"
        );
    }

    #[test]
    fn a_word_changed_in_one_item_keeps_its_marks() {
        let old = "* [Twitter](https://t.example/c)\n* [Google](https://g.example/c)\n";
        let new = "* [X](https://t.example/c)\n* [Google](https://g.example/c)\n";
        assert_eq!(
            marked(old, new),
            "* [[-Twitter-]{+X+}](https://t.example/c)\n* [Google](https://g.example/c)\n"
        );
    }
}
