//! `redliner export`: the store (or some documents) as a static site of
//! self-contained pages with relative links (see `render::site`).
//!
//! Incremental: a manifest in the site's folder keeps, for every page, the
//! inputs it was made from (the commit ids it shows, the document's
//! language, the generator's version). A page is made again only when its
//! inputs changed, and a document whose tip commit and language are those
//! of the manifest is not read at all. Every file is written to a
//! temporary file and renamed into place, so a reader never sees half a
//! page, and an interrupted export leaves only whole pages.

use crate::error::{Error, Result};
use crate::model::{DocId, Revision};
use crate::render::site;
use crate::store::Store;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The manifest's file name in the site's folder.
pub const MANIFEST: &str = ".redliner-export";

/// Changes whenever pages would be made differently: every page is then
/// made again.
const GENERATOR: &str = concat!("redliner-", env!("CARGO_PKG_VERSION"), "-site-1");

/// What an export did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    pub documents: usize,
    /// Pages and files written, by path relative to the site's folder.
    pub written: Vec<String>,
    pub unchanged: usize,
    /// Files of an earlier export that no longer belong to the site.
    pub removed: Vec<String>,
}

/// Writes `bytes` to `path` through a temporary file in the same folder and
/// a rename: the file is either the old one or the new one, never half.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        // A new file, never one that is there (a symlink left at the
        // temporary name would be followed and its target overwritten).
        match std::fs::remove_file(&tmp) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.flush()?;
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The manifest: per document its tip and language, per file its inputs.
#[derive(Debug, Default)]
struct Manifest {
    docs: BTreeMap<String, String>,
    files: BTreeMap<String, String>,
}

impl Manifest {
    fn read(dir: &Path) -> Manifest {
        let mut m = Manifest::default();
        let Ok(text) = std::fs::read_to_string(dir.join(MANIFEST)) else {
            return m;
        };
        let mut lines = text.lines();
        if lines.next() != Some(GENERATOR) {
            return m;
        }
        for line in lines {
            let mut parts = line.splitn(3, '\t');
            match (parts.next(), parts.next(), parts.next()) {
                (Some("doc"), Some(d), Some(k)) => {
                    m.docs.insert(d.to_string(), k.to_string());
                }
                (Some("file"), Some(p), Some(k)) if safe_path(p) && written_by_export(p) => {
                    m.files.insert(p.to_string(), k.to_string());
                }
                _ => {}
            }
        }
        m
    }

    fn to_bytes(&self) -> Vec<u8> {
        let mut out = String::from(GENERATOR);
        out.push('\n');
        for (d, k) in &self.docs {
            out.push_str(&format!("doc\t{d}\t{k}\n"));
        }
        for (p, k) in &self.files {
            out.push_str(&format!("file\t{p}\t{k}\n"));
        }
        out.into_bytes()
    }
}

/// Whether a path from the manifest is one an export writes (relative, no
/// `..`), so that a tampered manifest cannot make it remove other files.
fn safe_path(p: &str) -> bool {
    !p.is_empty()
        && !p.starts_with('/')
        && !p.contains('\\')
        && p.split('/').all(|c| !c.is_empty() && c != "." && c != "..")
}

/// Whether `p` is a name an export writes: `index.html`, `.nojekyll`, or
/// a page or raw capture in a document's folder. Only these are ever
/// removed, whatever the manifest lists: files of the user's own in DIR
/// (`CNAME`, `.git/...`) stay.
fn written_by_export(p: &str) -> bool {
    if p == "index.html" || p == ".nojekyll" {
        return true;
    }
    let Some((doc, file)) = p.split_once('/') else {
        return false;
    };
    if DocId::parse(doc).is_err() {
        return false;
    }
    let number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if matches!(file, "index.html" | "latest.html" | "blame.html") {
        return true;
    }
    if let Some(n) = file
        .strip_prefix("diff-")
        .and_then(|f| f.strip_suffix(".html"))
    {
        return number(n);
    }
    let Some(rest) = file.strip_prefix("raw-") else {
        return false;
    };
    if let Some(n) = rest.strip_suffix(".pdf") {
        return number(n);
    }
    match rest.strip_suffix(".txt").and_then(|r| r.split_once('.')) {
        Some((n, ext)) => {
            number(n) && site::raw_file_name(0, &format!("x.{ext}")) == format!("raw-0.{ext}.txt")
        }
        None => false,
    }
}

/// Writes the site of `docs` (every document when empty) into `dir`.
/// `progress(done, total)` is called after each document.
pub fn export(
    store: &Store,
    dir: &Path,
    docs: &[DocId],
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Report> {
    let docs: Vec<DocId> = if docs.is_empty() {
        store.list()?.into_iter().map(|(d, _)| d).collect()
    } else {
        let set: BTreeSet<&DocId> = docs.iter().collect();
        set.into_iter().cloned().collect()
    };
    // A document's folder is named by its id: `index.html` is the site's
    // index, so such a document cannot have one. Say so before writing.
    if docs.iter().any(|d| d.as_str() == "index.html") {
        return Err(export_error(
            &dir.join("index.html"),
            io::Error::other(
                "it is the site's index, and a document named index.html needs a folder of that name; export the other documents by name",
            ),
        ));
    }
    std::fs::create_dir_all(dir).map_err(|e| export_error(dir, e))?;
    let old = Manifest::read(dir);
    let mut new = Manifest::default();
    let mut report = Report {
        documents: docs.len(),
        ..Report::default()
    };
    let langs: BTreeMap<String, String> = store
        .watch_list()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|e| crate::render::html::primary_lang(&e.lang).map(|l| (e.doc, l)))
        .collect();
    let mut histories: BTreeMap<String, Vec<Revision>> = BTreeMap::new();
    let mut tips = String::new();
    let total = docs.len() as u64;
    for (i, doc) in docs.iter().enumerate() {
        let tip = store
            .tip_id(doc)?
            .ok_or_else(|| crate::store::StoreError::UnknownDocument {
                doc: doc.to_string(),
            })?;
        let lang = langs.get(doc.as_str()).map(String::as_str);
        let doc_key = format!("{tip} {}", lang.unwrap_or("-"));
        tips.push_str(&format!("{doc} {tip}\n"));
        let prefix = format!("{doc}/");
        let kept: Vec<(&String, &String)> = old
            .files
            .range(prefix.clone()..)
            .take_while(|(p, _)| p.starts_with(&prefix))
            .collect();
        let unchanged = old.docs.get(doc.as_str()) == Some(&doc_key)
            && !kept.is_empty()
            && kept.iter().all(|(p, _)| dir.join(p).is_file());
        if unchanged {
            for (p, k) in kept {
                new.files.insert(p.clone(), k.clone());
                report.unchanged += 1;
            }
        } else {
            let history = document(store, dir, doc, lang, &old, &mut new, &mut report)?;
            histories.insert(doc.to_string(), history);
        }
        new.docs.insert(doc.to_string(), doc_key);
        progress(i as u64 + 1, total);
    }
    // The index shows every document's churn: made again when any tip moved.
    let index_key = format!("{GENERATOR}\n{tips}");
    let index_key = format!("{GENERATOR} index {:016x}", fnv1a(index_key.as_bytes()));
    let mut index_page = || -> Result<Vec<u8>> {
        let mut hs = Vec::with_capacity(docs.len());
        for doc in &docs {
            let h = match histories.remove(doc.as_str()) {
                Some(h) => h,
                None => store.history(doc)?,
            };
            hs.push(h);
        }
        let entries: Vec<site::IndexEntry> = docs
            .iter()
            .zip(&hs)
            .map(|(doc, history)| site::IndexEntry { doc, history })
            .collect();
        Ok(site::index(&entries).into_string().into_bytes())
    };
    put(
        dir,
        "index.html",
        index_key,
        &old,
        &mut new,
        &mut report,
        &mut index_page,
    )?;
    // GitHub Pages serves the files as they are (no Jekyll).
    let key = format!("{GENERATOR} nojekyll");
    put(
        dir,
        ".nojekyll",
        key,
        &old,
        &mut new,
        &mut report,
        &mut || Ok(Vec::new()),
    )?;
    // Files of an earlier export that are not part of this one.
    for p in old.files.keys() {
        if !new.files.contains_key(p) {
            match std::fs::remove_file(dir.join(p)) {
                Ok(()) => report.removed.push(p.clone()),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(export_error(&dir.join(p), e)),
            }
        }
    }
    let manifest = dir.join(MANIFEST);
    let bytes = new.to_bytes();
    if std::fs::read(&manifest).ok().as_deref() != Some(&bytes[..]) {
        write_atomic(&manifest, &bytes).map_err(|e| export_error(&manifest, e))?;
    }
    Ok(report)
}

/// FNV-1a, 64 bits: the index's key from every document's tip.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn export_error(path: &Path, source: io::Error) -> Error {
    Error::Export {
        path: path.display().to_string(),
        source,
    }
}

/// Writes the file `rel` unless the manifest has it with the same key (and
/// it is there); `make` is called only when it is written.
fn put(
    dir: &Path,
    rel: &str,
    key: String,
    old: &Manifest,
    new: &mut Manifest,
    report: &mut Report,
    make: &mut dyn FnMut() -> Result<Vec<u8>>,
) -> Result<()> {
    let path = dir.join(rel);
    if old.files.get(rel) == Some(&key) && path.is_file() {
        report.unchanged += 1;
    } else {
        let bytes = make()?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| export_error(parent, e))?;
        }
        write_atomic(&path, &bytes).map_err(|e| export_error(&path, e))?;
        report.written.push(rel.to_string());
    }
    new.files.insert(rel.to_string(), key);
    Ok(())
}

/// Writes a document's pages that changed; returns its history, newest
/// first.
fn document(
    store: &Store,
    dir: &Path,
    doc: &DocId,
    lang: Option<&str>,
    old: &Manifest,
    new: &mut Manifest,
    report: &mut Report,
) -> Result<Vec<Revision>> {
    let history = store.history(doc)?;
    let Some(latest) = history.first().cloned() else {
        return Ok(history);
    };
    let l = lang.unwrap_or("-");
    let mut raw_names: BTreeMap<u64, (String, String)> = BTreeMap::new();
    let mut prev: Option<(Revision, std::sync::Arc<str>)> = None;
    for item in store.texts_oldest_first(doc)? {
        let (rev, text) = item?;
        let text: std::sync::Arc<str> = text;
        // The raw capture, as a download.
        if let Some((name, bytes)) = store.read_raw(doc, &rev)? {
            let file = site::raw_file_name(rev.rev, &name);
            let rel = format!("{doc}/{file}");
            let key = format!("{GENERATOR} raw {}", rev.id);
            let mut bytes = Some(bytes);
            put(dir, &rel, key, old, new, report, &mut || {
                Ok(bytes.take().unwrap_or_default())
            })?;
            raw_names.insert(rev.rev, (file, site::raw_kind(&name)));
        }
        let has_next = rev.rev < latest.rev;
        let key = format!(
            "{GENERATOR} diff {} {} {has_next} {l}",
            prev.as_ref().map_or("-", |(p, _)| p.id.as_str()),
            rev.id
        );
        let rel = format!("{doc}/{}", site::diff_page_name(rev.rev));
        put(dir, &rel, key, old, new, report, &mut || {
            let old_text = prev.as_ref().map_or("", |(_, t)| t);
            let d = crate::diff::diff(old_text, &text);
            let page =
                site::diff_page(doc, &d, prev.as_ref().map(|(p, _)| p), &rev, has_next, lang);
            Ok(page.into_string().into_bytes())
        })?;
        if rev.rev == latest.rev {
            let key = format!("{GENERATOR} latest {} {l}", rev.id);
            let rel = format!("{doc}/latest.html");
            put(dir, &rel, key, old, new, report, &mut || {
                Ok(site::latest(doc, &rev, &text, lang)
                    .into_string()
                    .into_bytes())
            })?;
        }
        prev = Some((rev, text));
    }
    let key = format!("{GENERATOR} history {}", latest.id);
    let rel = format!("{doc}/index.html");
    put(dir, &rel, key, old, new, report, &mut || {
        let raw = |n: u64| raw_names.get(&n).cloned();
        Ok(site::history(doc, &history, &raw)
            .into_string()
            .into_bytes())
    })?;
    let key = format!("{GENERATOR} blame {} {l}", latest.id);
    let rel = format!("{doc}/blame.html");
    put(dir, &rel, key, old, new, report, &mut || {
        let b = crate::history::blame(store, doc, &latest)?;
        Ok(site::blame(doc, &b, lang).into_string().into_bytes())
    })?;
    Ok(history)
}

#[cfg(test)]
mod tests {
    #[cfg(unix)]
    #[test]
    fn write_atomic_does_not_follow_a_symlink_at_its_temporary_name() {
        let dir = tempfile::tempdir().expect("temp dir");
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "mine").expect("write");
        let site = dir.path().join("site");
        std::fs::create_dir(&site).expect("mkdir");
        let tmp = site.join(format!(".page.html.{}.tmp", std::process::id()));
        std::os::unix::fs::symlink(&victim, &tmp).expect("symlink");
        super::write_atomic(&site.join("page.html"), b"page").expect("write");
        assert_eq!(std::fs::read_to_string(&victim).expect("read"), "mine");
        assert_eq!(
            std::fs::read_to_string(site.join("page.html")).expect("read"),
            "page"
        );
    }
}
