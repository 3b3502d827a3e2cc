//! `log`'s churn bars: words added and removed per revision, scaled like
//! `git log --stat`'s bars.

use crate::model::Revision;

/// Width of the longest churn bar.
pub const WIDTH: usize = 10;

/// The largest words added plus removed, the first revision left out when
/// there are others (its text is all added).
pub fn largest_change(revs: &[Revision]) -> u64 {
    let total = |r: &Revision| r.added.saturating_add(r.removed);
    let later = revs.iter().filter(|r| r.rev > 1).map(total).max();
    match later {
        Some(m) if m > 0 => m,
        _ => revs.iter().map(total).max().unwrap_or(0),
    }
}

/// The `+` and `-` of one bar: proportional to `largest`, at most
/// [`WIDTH`] together, at least one of each kind that is not zero.
pub fn bar(added: u64, removed: u64, largest: u64) -> (usize, usize) {
    let total = added.saturating_add(removed);
    if total == 0 || largest == 0 {
        return (0, 0);
    }
    let width = WIDTH as u64;
    let (some_added, some_removed) = (u64::from(added > 0), u64::from(removed > 0));
    let n = (total.min(largest) * width)
        .div_ceil(largest)
        .clamp(some_added + some_removed, width);
    let plus = ((n * added + total / 2) / total).clamp(some_added, n - some_removed);
    let minus = n - plus;
    (plus as usize, minus as usize)
}

#[cfg(test)]
mod tests {
    use super::bar;

    #[test]
    fn churn_bars_scale_and_keep_both_signs() {
        assert_eq!(bar(0, 0, 10), (0, 0));
        assert_eq!(bar(10, 0, 10), (10, 0));
        assert_eq!(bar(5, 5, 10), (5, 5));
        assert_eq!(bar(1, 0, 1000), (1, 0));
        assert_eq!(bar(1, 1, 1000), (1, 1));
        assert_eq!(bar(999, 1, 1000), (9, 1));
        assert_eq!(bar(5000, 0, 10), (10, 0));
    }
}
