//! Commit message trailers: the one place that names them, writes them and
//! reads them back. A revision's figures and source live here, and trailers
//! this version does not know (written by a later one) are kept as read, so
//! that they survive a round trip.

/// The trailers redliner knows, in the order it writes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TrailerKey {
    /// The revision number, first is 1.
    Revision,
    /// Words in the revision's text.
    Words,
    /// Words added against the previous revision.
    Added,
    /// Words removed against the previous revision.
    Removed,
    /// Where the text came from.
    Source,
    /// A capture's address after redirects.
    FinalUrl,
    /// A capture's content type.
    ContentType,
    /// The extractor (name and version) that made a capture's text.
    Extractor,
    /// A `--select` selector of a capture (one trailer each).
    Select,
    /// A `--remove` selector of a capture (one trailer each).
    Remove,
    /// What a check found (observation log).
    Outcome,
    /// Why a check failed (observation log).
    Reason,
    /// The `ETag` of the page a check saw (observation log).
    Etag,
    /// The `Last-Modified` of the page a check saw (observation log).
    LastModified,
    /// A technical revision: why the text changed without the source
    /// changing (`reextract`).
    Technical,
}

impl TrailerKey {
    /// Every known trailer, in the order they are written.
    pub const ALL: [TrailerKey; 15] = [
        TrailerKey::Revision,
        TrailerKey::Words,
        TrailerKey::Added,
        TrailerKey::Removed,
        TrailerKey::Source,
        TrailerKey::FinalUrl,
        TrailerKey::ContentType,
        TrailerKey::Extractor,
        TrailerKey::Select,
        TrailerKey::Remove,
        TrailerKey::Outcome,
        TrailerKey::Reason,
        TrailerKey::Etag,
        TrailerKey::LastModified,
        TrailerKey::Technical,
    ];

    /// The trailer's name as it stands in the commit message.
    pub const fn name(self) -> &'static str {
        match self {
            TrailerKey::Revision => "Redliner-Revision",
            TrailerKey::Words => "Redliner-Words",
            TrailerKey::Added => "Redliner-Added",
            TrailerKey::Removed => "Redliner-Removed",
            TrailerKey::Source => "Source",
            TrailerKey::FinalUrl => "Redliner-Final-Url",
            TrailerKey::ContentType => "Redliner-Content-Type",
            TrailerKey::Extractor => "Redliner-Extractor",
            TrailerKey::Select => "Redliner-Select",
            TrailerKey::Remove => "Redliner-Remove",
            TrailerKey::Outcome => "Redliner-Outcome",
            TrailerKey::Reason => "Redliner-Reason",
            TrailerKey::Etag => "Redliner-Etag",
            TrailerKey::LastModified => "Redliner-Last-Modified",
            TrailerKey::Technical => "Redliner-Technical",
        }
    }

    fn from_name(name: &str) -> Option<TrailerKey> {
        TrailerKey::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// A trailer name that git would not read back as one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid trailer name {0:?}: use ASCII letters, digits and '-'")]
pub struct InvalidTrailerName(pub String);

/// The trailers of one commit: the known ones typed, the others kept in the
/// order they were read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trailers {
    /// `Redliner-Revision`.
    pub revision: Option<u64>,
    /// `Redliner-Words`.
    pub words: Option<u64>,
    /// `Redliner-Added`.
    pub added: Option<u64>,
    /// `Redliner-Removed`.
    pub removed: Option<u64>,
    /// `Source`, one line.
    pub source: Option<String>,
    /// `Redliner-Final-Url`, one line.
    pub final_url: Option<String>,
    /// `Redliner-Content-Type`, one line.
    pub content_type: Option<String>,
    /// `Redliner-Extractor`, one line.
    pub extractor: Option<String>,
    /// `Redliner-Select`, one trailer per selector, in order.
    pub select: Vec<String>,
    /// `Redliner-Remove`, one trailer per selector, in order.
    pub remove: Vec<String>,
    /// `Redliner-Outcome` (observation log).
    pub outcome: Option<String>,
    /// `Redliner-Reason` (observation log), one line.
    pub reason: Option<String>,
    /// `Redliner-Etag` (observation log).
    pub etag: Option<String>,
    /// `Redliner-Last-Modified` (observation log).
    pub last_modified: Option<String>,
    /// `Redliner-Technical`: the revision is technical, and why.
    pub technical: Option<String>,
    /// Trailers this version does not know (or whose value it cannot read),
    /// as `(name, value)` in the order read.
    other: Vec<(String, String)>,
}

impl Trailers {
    /// The trailers this version does not know, in the order read or added.
    pub fn other(&self) -> &[(String, String)] {
        &self.other
    }

    /// Adds a trailer this version does not type (e.g. `Published`); the
    /// value is made one line. Written after the known ones.
    pub fn push_other(&mut self, name: &str, value: &str) -> Result<(), InvalidTrailerName> {
        if !is_trailer_name(name) {
            return Err(InvalidTrailerName(name.to_string()));
        }
        self.other.push((name.to_string(), one_line(value)));
        Ok(())
    }

    /// Whether there is no trailer at all.
    pub fn is_empty(&self) -> bool {
        *self == Trailers::default()
    }

    /// The commit message: `body` (NUL made a space, trailing white space
    /// trimmed, `record` when empty), a blank line, and the trailers.
    pub fn message(&self, body: &str) -> String {
        let body: String = body.replace('\0', " ");
        let body = body.trim_end();
        let mut m = String::new();
        m.push_str(if body.is_empty() { "record" } else { body });
        m.push('\n');
        if self.is_empty() {
            return m;
        }
        m.push('\n');
        let numbers = [
            (TrailerKey::Revision, self.revision),
            (TrailerKey::Words, self.words),
            (TrailerKey::Added, self.added),
            (TrailerKey::Removed, self.removed),
        ];
        for (key, value) in numbers {
            if let Some(v) = value {
                m.push_str(&format!("{}: {v}\n", key.name()));
            }
        }
        let lines = [
            (TrailerKey::Source, self.source.as_slice()),
            (TrailerKey::FinalUrl, self.final_url.as_slice()),
            (TrailerKey::ContentType, self.content_type.as_slice()),
            (TrailerKey::Extractor, self.extractor.as_slice()),
            (TrailerKey::Select, self.select.as_slice()),
            (TrailerKey::Remove, self.remove.as_slice()),
            (TrailerKey::Outcome, self.outcome.as_slice()),
            (TrailerKey::Reason, self.reason.as_slice()),
            (TrailerKey::Etag, self.etag.as_slice()),
            (TrailerKey::LastModified, self.last_modified.as_slice()),
            (TrailerKey::Technical, self.technical.as_slice()),
        ];
        for (key, values) in lines {
            for v in values {
                m.push_str(&format!("{}: {}\n", key.name(), one_line(v)));
            }
        }
        for (k, v) in &self.other {
            m.push_str(&format!("{k}: {}\n", one_line(v)));
        }
        m
    }

    /// Splits a commit message into its text and the trailers of its last
    /// paragraph (only when every line of that paragraph is a trailer).
    pub fn parse(raw: &str) -> (String, Trailers) {
        let trimmed = raw.trim_end_matches('\n');
        // `log` parses every commit's message: the last blank line is found
        // with memchr's searcher, and the paragraph is read in one pass
        // (and dropped if a line is not a trailer).
        let split = memchr::memmem::rfind(trimmed.as_bytes(), b"\n\n")
            .map(|i| (&trimmed[..i], &trimmed[i + 2..]));
        if let Some((body, last)) = split {
            let mut t = Trailers::default();
            let all = last.lines().all(|l| match pair(l) {
                Some((k, v)) => {
                    t.read_one(k, v);
                    true
                }
                None => false,
            });
            if all {
                return (body.to_string(), t);
            }
        }
        (trimmed.to_string(), Trailers::default())
    }

    /// Files one trailer read from a message: the first of each known name
    /// whose value reads fills its field, anything else is kept as it was.
    fn read_one(&mut self, name: &str, value: &str) {
        let num = |slot: &mut Option<u64>| match value.parse::<u64>() {
            Ok(n) if slot.is_none() => {
                *slot = Some(n);
                true
            }
            _ => false,
        };
        let text = |slot: &mut Option<String>| {
            if slot.is_some() {
                return false;
            }
            *slot = Some(value.to_string());
            true
        };
        let filed = match TrailerKey::from_name(name) {
            Some(TrailerKey::Revision) => num(&mut self.revision),
            Some(TrailerKey::Words) => num(&mut self.words),
            Some(TrailerKey::Added) => num(&mut self.added),
            Some(TrailerKey::Removed) => num(&mut self.removed),
            Some(TrailerKey::Source) => text(&mut self.source),
            Some(TrailerKey::FinalUrl) => text(&mut self.final_url),
            Some(TrailerKey::ContentType) => text(&mut self.content_type),
            Some(TrailerKey::Extractor) => text(&mut self.extractor),
            Some(TrailerKey::Select) => {
                self.select.push(value.to_string());
                true
            }
            Some(TrailerKey::Remove) => {
                self.remove.push(value.to_string());
                true
            }
            Some(TrailerKey::Outcome) => text(&mut self.outcome),
            Some(TrailerKey::Reason) => text(&mut self.reason),
            Some(TrailerKey::Etag) => text(&mut self.etag),
            Some(TrailerKey::LastModified) => text(&mut self.last_modified),
            Some(TrailerKey::Technical) => text(&mut self.technical),
            _ => false,
        };
        if !filed {
            self.other.push((name.to_string(), value.to_string()));
        }
    }
}

/// A line `Name: value` with a trailer name, split.
fn pair(l: &str) -> Option<(&str, &str)> {
    // The name ends at the first ':', which must be followed by a space (a
    // later ": " would leave a ':' in the name, which no name has).
    let i = memchr::memchr(b':', l.as_bytes())?;
    let k = &l[..i];
    let v = l[i + 1..].strip_prefix(' ')?;
    is_trailer_name(k).then_some((k, v))
}

fn is_trailer_name(k: &str) -> bool {
    !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// One line, no NUL: safe inside a trailer.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c == '\n' || c == '\r' || c == '\0' {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// `Published:`, the date the source claims (RFC 3339), apart from the
/// capture time.
pub const PUBLISHED: &str = "Published";
/// `Restores:`, the number of the earlier revision whose text (the same
/// blob) this revision records again.
pub const RESTORES: &str = "Restores";

/// The history trailers, kept among the others so that a version that does
/// not know them writes them back unchanged.
impl Trailers {
    /// The first value of trailer `name`, as read.
    fn first_other(&self, name: &str) -> Option<&str> {
        self.other
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// `Restores:` when it holds a revision number.
    pub fn restores(&self) -> Option<u64> {
        self.first_other(RESTORES)?.trim().parse().ok()
    }

    /// `Published:` as written.
    pub fn published(&self) -> Option<&str> {
        self.first_other(PUBLISHED)
    }

    /// Sets `Restores: rev`.
    pub fn set_restores(&mut self, rev: u64) {
        self.other.retain(|(k, _)| k != RESTORES);
        self.other.push((RESTORES.to_string(), rev.to_string()));
    }

    /// Sets `Restores:` to `rev` (written last), or removes it for `None`:
    /// the same message whatever the trailers' order was before.
    pub fn replace_restores(&mut self, rev: Option<u64>) {
        self.other.retain(|(k, _)| k != RESTORES);
        if let Some(r) = rev {
            self.other.push((RESTORES.to_string(), r.to_string()));
        }
    }

    /// Sets `Published:` (an RFC 3339 time, made one line).
    pub fn set_published(&mut self, time: &str) {
        self.other.retain(|(k, _)| k != PUBLISHED);
        self.other.push((PUBLISHED.to_string(), one_line(time)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures() -> Trailers {
        Trailers {
            revision: Some(3),
            words: Some(10),
            added: Some(2),
            removed: Some(1),
            source: Some("https://example.org/a\nb".into()),
            ..Trailers::default()
        }
    }

    #[test]
    fn trailers_round_trip() {
        let (msg, t) = Trailers::parse(&figures().message("fix\n\nsecond paragraph: with colon"));
        assert_eq!(msg, "fix\n\nsecond paragraph: with colon");
        assert_eq!(t.source.as_deref(), Some("https://example.org/a b"));
        assert_eq!(t.revision, Some(3));
        assert_eq!((t.words, t.added, t.removed), (Some(10), Some(2), Some(1)));
        assert!(t.other().is_empty());
    }

    #[test]
    fn message_bytes_are_as_always() {
        assert_eq!(
            figures().message("fix\0it  \n"),
            "fix it\n\nRedliner-Revision: 3\nRedliner-Words: 10\nRedliner-Added: 2\nRedliner-Removed: 1\nSource: https://example.org/a b\n"
        );
        let plain = Trailers {
            source: None,
            ..figures()
        };
        assert_eq!(
            plain.message(" \n"),
            "record\n\nRedliner-Revision: 3\nRedliner-Words: 10\nRedliner-Added: 2\nRedliner-Removed: 1\n"
        );
    }

    #[test]
    fn unknown_trailers_are_kept_and_written_back() {
        let raw = "msg\n\nRedliner-Revision: 2\nPublished: 2024-01-02T03:04:05Z\nRestores: 1\nRedliner-Words: many\n";
        let (body, t) = Trailers::parse(raw);
        assert_eq!(body, "msg");
        assert_eq!(t.revision, Some(2));
        assert_eq!(t.words, None);
        assert_eq!(
            t.other(),
            [
                ("Published".to_string(), "2024-01-02T03:04:05Z".to_string()),
                ("Restores".to_string(), "1".to_string()),
                ("Redliner-Words".to_string(), "many".to_string()),
            ]
        );
        let again = Trailers::parse(&t.message(&body)).1;
        assert_eq!(again, t);
    }

    #[test]
    fn other_trailers_need_a_valid_name() {
        let mut t = Trailers::default();
        assert!(t
            .push_other("Redliner-Extractor", "readability\nv2")
            .is_ok());
        assert!(t.push_other("bad name", "x").is_err());
        assert!(t.push_other("", "x").is_err());
        assert_eq!(t.message("m"), "m\n\nRedliner-Extractor: readability v2\n");
    }

    #[test]
    fn capture_trailers_round_trip() {
        let t = Trailers {
            source: Some("https://example.org/a".into()),
            final_url: Some("https://example.org/b".into()),
            content_type: Some("text/html; charset=utf-8".into()),
            extractor: Some("readability (dom_smoothie 0.19.0), walker 1".into()),
            select: vec!["article".into(), "#main, .x".into()],
            remove: vec![".ad".into()],
            ..figures()
        };
        let msg = t.message("capture");
        assert!(msg.ends_with(
            "Source: https://example.org/a\nRedliner-Final-Url: https://example.org/b\nRedliner-Content-Type: text/html; charset=utf-8\nRedliner-Extractor: readability (dom_smoothie 0.19.0), walker 1\nRedliner-Select: article\nRedliner-Select: #main, .x\nRedliner-Remove: .ad\n"
        ));
        assert_eq!(Trailers::parse(&msg).1, t);
    }

    #[test]
    fn message_without_trailers_is_kept_whole() {
        let (msg, t) = Trailers::parse("hello\n\nworld\n");
        assert_eq!(msg, "hello\n\nworld");
        assert_eq!(t, Trailers::default());
    }

    #[test]
    fn history_trailers_round_trip() {
        let mut t = figures();
        t.set_restores(2);
        t.set_published("2023-11-12T09:00:00Z");
        let (_, back) = Trailers::parse(&t.message("m"));
        assert_eq!(back.restores(), Some(2));
        assert_eq!(back.published(), Some("2023-11-12T09:00:00Z"));
        assert_eq!(Trailers::default().restores(), None);
    }

    #[test]
    fn replacing_restores_writes_one_message_whatever_the_order_was() {
        let mut a = figures();
        a.set_restores(2);
        a.set_published("2023-11-12T09:00:00Z");
        let mut b = figures();
        b.set_published("2023-11-12T09:00:00Z");
        a.replace_restores(Some(3));
        b.replace_restores(Some(3));
        assert_eq!(a.message("m"), b.message("m"));
        assert_eq!(a.restores(), Some(3));
        a.replace_restores(None);
        assert_eq!(a.restores(), None);
        assert_eq!(a.published(), Some("2023-11-12T09:00:00Z"));
    }
}
