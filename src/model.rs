//! Plain shared data: document ids, capture times, revisions, selectors.

use crate::error::{Error, Result};
use serde::Serialize;
use std::fmt;

/// A document id: a slug that is a valid git ref name and file name everywhere.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct DocId(String);

/// The rule a document id must follow, as shown to users.
pub const DOC_ID_RULE: &str = "use 1 to 100 characters: lowercase letters a-z, digits, '-', '_' or '.', starting with a letter or digit, not ending in '.lock' and without '..'";

impl DocId {
    pub fn parse(s: &str) -> Result<DocId> {
        let bad = || Error::InvalidDocId {
            id: s.to_string(),
            rule: DOC_ID_RULE,
        };
        let bytes = s.as_bytes();
        if bytes.is_empty() || bytes.len() > 100 {
            return Err(bad());
        }
        if !(bytes[0].is_ascii_lowercase() || bytes[0].is_ascii_digit()) {
            return Err(bad());
        }
        let allowed =
            |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.');
        if !bytes.iter().all(|&b| allowed(b)) {
            return Err(bad());
        }
        // Keep every id a valid git ref name component.
        if s.contains("..") || s.ends_with(".lock") || s.ends_with('.') {
            return Err(bad());
        }
        Ok(DocId(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A capture time: seconds since the Unix epoch and the UTC offset it was
/// recorded with (as git stores it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct CaptureTime {
    pub unix: i64,
    pub offset_minutes: i32,
}

impl CaptureTime {
    /// Parses RFC 3339 (`2023-11-12T14:00:00Z`, `2023-11-12T14:00:00+09:00`),
    /// keeping the offset.
    pub fn parse_rfc3339(s: &str) -> Result<CaptureTime> {
        let bad = || Error::InvalidTime {
            value: s.to_string(),
        };
        let ts: jiff::Timestamp = s.parse().map_err(|_| bad())?;
        let offset_minutes = parse_offset_suffix(s).ok_or_else(bad)?;
        Ok(CaptureTime {
            unix: ts.as_second(),
            offset_minutes,
        })
    }

    fn zoned(&self, tz: jiff::tz::TimeZone) -> Option<jiff::Zoned> {
        let ts = jiff::Timestamp::from_second(self.unix).ok()?;
        Some(ts.to_zoned(tz))
    }

    /// RFC 3339 in the offset it was recorded with.
    pub fn rfc3339(&self) -> String {
        let tz = jiff::tz::Offset::from_seconds(self.offset_minutes * 60)
            .map(jiff::tz::TimeZone::fixed)
            .unwrap_or(jiff::tz::TimeZone::UTC);
        match self.zoned(tz) {
            Some(z) if self.offset_minutes == 0 => z.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
            Some(z) => z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
            None => format!("@{}", self.unix),
        }
    }

    /// Human form in the given time zone: `2023-11-12 14:00 +0000`.
    pub fn human(&self, tz: &jiff::tz::TimeZone) -> String {
        match self.zoned(tz.clone()) {
            Some(z) => z.strftime("%Y-%m-%d %H:%M %z").to_string(),
            None => format!("@{}", self.unix),
        }
    }
}

impl Serialize for CaptureTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.rfc3339())
    }
}

/// `Z` or `±HH:MM` at the end of an RFC 3339 string, in minutes.
fn parse_offset_suffix(s: &str) -> Option<i32> {
    if s.ends_with('Z') || s.ends_with('z') {
        return Some(0);
    }
    let tail = s.get(s.len().checked_sub(6)?..)?;
    let b = tail.as_bytes();
    let sign = match b[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    if b[3] != b':' {
        return None;
    }
    let h: i32 = tail.get(1..3)?.parse().ok()?;
    let m: i32 = tail.get(4..6)?.parse().ok()?;
    Some(sign * (h * 60 + m))
}

/// One recorded revision of a document, as read from its commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Revision {
    /// Revision number, first is 1.
    pub rev: u64,
    /// Full commit id (hex).
    pub id: String,
    pub time: CaptureTime,
    /// Words in this revision's text.
    pub words: u64,
    /// Words added and removed against the previous revision.
    pub added: u64,
    pub removed: u64,
    pub message: String,
    pub source: Option<String>,
}

impl Revision {
    pub fn short_id(&self) -> &str {
        self.id.get(..7).unwrap_or(&self.id)
    }
}

/// One line of `list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocSummary {
    pub doc: DocId,
    pub revisions: u64,
    pub latest_time: CaptureTime,
    pub words: u64,
}

/// What follows `@` in `DOC@REV`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    Latest,
    /// Revision number, first is 1.
    Number(u64),
    /// K revisions before the latest.
    Back(u64),
    /// A commit id prefix (7 to 40 hex digits, lowercase).
    Commit(String),
    /// The latest revision captured at or before this instant (unix seconds).
    AtOrBefore(i64),
}

impl Selector {
    /// Parses a selector. A bare date (`2023-11-12`) means the end of that day
    /// in `tz`.
    pub fn parse(s: &str, tz: &jiff::tz::TimeZone) -> Result<Selector> {
        let bad = || Error::InvalidSelector {
            selector: s.to_string(),
        };
        if s == "latest" {
            return Ok(Selector::Latest);
        }
        if let Some(k) = s.strip_prefix('~') {
            if k.is_empty() || !k.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            return k.parse().map(Selector::Back).map_err(|_| bad());
        }
        let is_digits = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if is_digits && s.len() < 7 {
            let n: u64 = s.parse().map_err(|_| bad())?;
            if n == 0 {
                return Err(bad());
            }
            return Ok(Selector::Number(n));
        }
        if (7..=40).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(Selector::Commit(s.to_ascii_lowercase()));
        }
        if s.len() == 10 {
            let date: jiff::civil::Date = s.parse().map_err(|_| bad())?;
            let next = date.tomorrow().map_err(|_| bad())?;
            let zoned = next.to_zoned(tz.clone()).map_err(|_| bad())?;
            return Ok(Selector::AtOrBefore(zoned.timestamp().as_second() - 1));
        }
        if s.len() > 10 {
            let ts: jiff::Timestamp = s.parse().map_err(|_| bad())?;
            return Ok(Selector::AtOrBefore(ts.as_second()));
        }
        Err(bad())
    }
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Selector::Latest => f.write_str("latest"),
            Selector::Number(n) => write!(f, "{n}"),
            Selector::Back(k) => write!(f, "~{k}"),
            Selector::Commit(c) => f.write_str(c),
            Selector::AtOrBefore(t) => match jiff::Timestamp::from_second(*t) {
                Ok(ts) => write!(f, "{ts}"),
                Err(_) => write!(f, "@{t}"),
            },
        }
    }
}

/// `DOC` or `DOC@REV` as typed on the command line.
pub fn split_doc_selector(s: &str) -> (&str, Option<&str>) {
    match s.split_once('@') {
        Some((d, r)) => (d, Some(r)),
        None => (s, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_ids_follow_the_slug_rule() {
        for ok in [
            "a",
            "dod-trilateral",
            "tos_v2.en",
            "9lives",
            &"x".repeat(100),
        ] {
            assert!(DocId::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "Upper",
            "-lead",
            ".hidden",
            "a b",
            "a/b",
            "a..b",
            "x.lock",
            "trail.",
            "é",
            "a\u{1b}b",
            &"x".repeat(101),
        ] {
            assert!(DocId::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn rfc3339_keeps_offset() {
        let t = CaptureTime::parse_rfc3339("2023-11-12T14:00:00+09:00").unwrap();
        assert_eq!(t.offset_minutes, 540);
        assert_eq!(t.rfc3339(), "2023-11-12T14:00:00+09:00");
        let z = CaptureTime::parse_rfc3339("2023-11-12T05:00:00Z").unwrap();
        assert_eq!(z.unix, t.unix);
        assert_eq!(z.rfc3339(), "2023-11-12T05:00:00Z");
        assert!(CaptureTime::parse_rfc3339("yesterday").is_err());
        assert!(CaptureTime::parse_rfc3339("2023-11-12").is_err());
    }

    #[test]
    fn selectors_parse() {
        let utc = jiff::tz::TimeZone::UTC;
        assert_eq!(Selector::parse("3", &utc).unwrap(), Selector::Number(3));
        assert_eq!(Selector::parse("latest", &utc).unwrap(), Selector::Latest);
        assert_eq!(Selector::parse("~2", &utc).unwrap(), Selector::Back(2));
        assert_eq!(
            Selector::parse("ABCDEF1", &utc).unwrap(),
            Selector::Commit("abcdef1".into())
        );
        let day_end = Selector::parse("2023-11-12", &utc).unwrap();
        let exact = Selector::parse("2023-11-12T23:59:59Z", &utc).unwrap();
        assert_eq!(day_end, exact);
        for bad in [
            "",
            "0",
            "~",
            "~x",
            "abc",
            "2023-13-45",
            "-1",
            "12345678901234567890123456789012345678901",
        ] {
            assert!(Selector::parse(bad, &utc).is_err(), "{bad:?}");
        }
    }
}
