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

/// The id of a revision: the full hex id of the commit that records it
/// (lowercase, 40 digits for SHA-1 stores, 64 for SHA-256). Plain data: it
/// serialises as the hex string and derefs to it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct RevisionId(String);

/// A string that is not a full hex revision id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a revision id: use the full commit id, 40 or 64 hex digits")]
pub struct InvalidRevisionId(pub String);

impl RevisionId {
    /// Parses a full commit id: 40 or 64 hex digits, in either case.
    pub fn parse(hex: &str) -> Result<RevisionId, InvalidRevisionId> {
        let ok = matches!(hex.len(), 40 | 64) && hex.bytes().all(|b| b.is_ascii_hexdigit());
        if ok {
            Ok(RevisionId(hex.to_ascii_lowercase()))
        } else {
            Err(InvalidRevisionId(hex.to_string()))
        }
    }

    /// An id from hex the caller knows to be a full lowercase commit id
    /// (the store's own object ids).
    pub(crate) fn from_hex_unchecked(hex: String) -> RevisionId {
        debug_assert!(RevisionId::parse(&hex).is_ok(), "{hex:?}");
        RevisionId(hex)
    }

    /// The full hex id.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first 7 hex digits, as git abbreviates.
    pub fn short(&self) -> &str {
        self.0.get(..7).unwrap_or(&self.0)
    }
}

impl std::str::FromStr for RevisionId {
    type Err = InvalidRevisionId;
    fn from_str(s: &str) -> Result<RevisionId, InvalidRevisionId> {
        RevisionId::parse(s)
    }
}

impl fmt::Display for RevisionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::ops::Deref for RevisionId {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for RevisionId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// One recorded revision of a document, as read from its commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Revision {
    /// Revision number, first is 1.
    pub rev: u64,
    /// Full commit id.
    pub id: RevisionId,
    pub time: CaptureTime,
    /// The date the source claims (`Published:`), apart from the capture.
    pub published: Option<CaptureTime>,
    /// The earlier revision whose text this one records again (`Restores:`).
    pub restores: Option<u64>,
    /// Words in this revision's text.
    pub words: u64,
    /// Words added and removed against the previous revision.
    pub added: u64,
    pub removed: u64,
    pub message: String,
    pub source: Option<String>,
    /// Set on a technical revision (the text changed, the source did not),
    /// with why: `reextract`.
    pub technical: Option<String>,
}

impl Revision {
    /// The first 7 hex digits of the commit id.
    pub fn short_id(&self) -> &str {
        self.id.short()
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

/// A watched source: a document and the URL it is captured from, with the
/// capture's selectors and language. Kept in the store's watch list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct WatchEntry {
    pub doc: String,
    pub url: String,
    #[serde(default)]
    pub select: Vec<String>,
    #[serde(default)]
    pub remove: Vec<String>,
    pub lang: String,
}

/// What one check of a watched source found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// A new revision was recorded.
    Changed,
    /// The text equals the latest revision.
    Unchanged,
    /// The fetch or the extraction failed; nothing was recorded.
    Failed,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Changed => "changed",
            Outcome::Unchanged => "unchanged",
            Outcome::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        [Outcome::Changed, Outcome::Unchanged, Outcome::Failed]
            .into_iter()
            .find(|o| o.as_str() == s)
    }
}

/// One entry of a document's observation log: a check, when, and what it
/// found (the revision it recorded or saw, or why it failed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    pub time: CaptureTime,
    pub outcome: Outcome,
    pub rev: Option<u64>,
    pub reason: Option<String>,
    /// What the next check may send as `If-None-Match` and
    /// `If-Modified-Since`, and the selectors they hold for.
    pub validators: Validators,
}

/// A response's `ETag` and `Last-Modified`, and the selectors the text was
/// extracted with (a conditional request is only made with the same ones).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub select: Vec<String>,
    pub remove: Vec<String>,
}

impl Validators {
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
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
    fn revision_ids_parse_and_serialise_as_hex() {
        let hex = "0123456789abcdef0123456789ABCDEF01234567";
        let id = RevisionId::parse(hex).unwrap();
        assert_eq!(id.as_str(), hex.to_ascii_lowercase());
        assert_eq!(id.short(), "0123456");
        assert_eq!(id.to_string(), id.as_str());
        assert_eq!(
            serde_json::to_string(&id).unwrap(),
            format!("\"{}\"", id.as_str())
        );
        for bad in [
            "",
            "0123456",
            &hex[..39],
            &format!("{hex}0"),
            &hex.replace('0', "g"),
        ] {
            assert!(RevisionId::parse(bad).is_err(), "{bad:?}");
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
