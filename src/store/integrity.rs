//! Object integrity: the guard that checks a loose object before libgit2
//! reads it, and the full check `verify` runs on every object.

use super::error::Damage;
use super::Store;
use git2::{Oid, Repository};

/// Largest object `guard_loose` inflates (texts are capped at 64 MiB).
const MAX_OBJECT_BYTES: u64 = 1 << 30;

/// What is wrong with an object.
#[derive(Debug, thiserror::Error)]
pub enum ObjectDamage {
    /// A loose object's bytes do not hold together.
    #[error("object {oid} is damaged ({why})")]
    Loose { oid: String, why: LooseDamage },
    /// The object database cannot read the object.
    #[error("object {oid} cannot be read: {}", .source.message())]
    Unreadable {
        oid: String,
        #[source]
        source: git2::Error,
    },
    /// The object is of another type than the one that refers to it says.
    #[error("object {oid} is a {found} where a {expected} was expected")]
    WrongType {
        oid: String,
        found: &'static str,
        expected: &'static str,
    },
    /// The object's content hashes to another id.
    #[error("object {oid} is corrupt: its content hashes to {hash}")]
    Corrupt { oid: String, hash: String },
    /// The object's content cannot be hashed.
    #[error("object {oid} cannot be hashed: {}", .source.message())]
    Unhashable {
        oid: String,
        #[source]
        source: git2::Error,
    },
}

/// What is wrong with a loose object file.
#[derive(Debug, thiserror::Error)]
pub enum LooseDamage {
    /// The zlib stream is broken.
    #[error("cannot be inflated: {0}")]
    Inflate(#[source] std::io::Error),
    /// No NUL ends the header.
    #[error("no header")]
    NoHeader,
    /// The header is not `<type> <size>`.
    #[error("bad header")]
    BadHeader,
    /// The header's size is not a number.
    #[error("bad size")]
    BadSize,
    /// The body is shorter or longer than the header says.
    #[error("truncated: {found} of {size} bytes")]
    Truncated { found: usize, size: usize },
    /// The header names no object type.
    #[error("unknown type")]
    UnknownType,
    /// The content does not hash to the object's id.
    #[error("content does not match its id")]
    Mismatch,
}

impl Store {
    /// Checks a loose object's bytes before libgit2 reads it: libgit2 1.9
    /// loops forever inflating a truncated loose object, so a damaged store
    /// must be caught here. Packed or missing objects are left to libgit2.
    pub(super) fn guard_loose(&self, oid: Oid) -> Result<(), ObjectDamage> {
        let dirs = self
            .loose_dirs
            .get_or_init(|| loose_dirs(&self.repo.path().join("objects")));
        if !dirs[usize::from(oid.as_bytes()[0])] {
            // No loose object directory for this id when the store was
            // first read: the object is packed (or was written since, by a
            // writer that renames complete files into place).
            return Ok(());
        }
        guard_loose(&self.repo, oid).map_err(|why| ObjectDamage::Loose {
            oid: oid.to_string(),
            why,
        })
    }

    /// Reads an object with `find` after checking its loose object.
    pub(super) fn read_checked<'r, T>(
        &'r self,
        oid: Oid,
        find: impl FnOnce(&'r Repository, Oid) -> Result<T, git2::Error>,
    ) -> Result<T, Damage> {
        self.guard_loose(oid)?;
        find(&self.repo, oid).map_err(Damage::Git)
    }

    /// Reads a commit after checking its loose object.
    pub(super) fn find_commit_checked(&self, oid: Oid) -> Result<git2::Commit<'_>, Damage> {
        self.read_checked(oid, Repository::find_commit)
    }
}

/// Which of `objects/00` .. `objects/ff` exist (one directory read).
fn loose_dirs(objects: &std::path::Path) -> [bool; 256] {
    let mut dirs = [false; 256];
    let Ok(entries) = std::fs::read_dir(objects) else {
        // Unreadable: look for every object's file, as before.
        return [true; 256];
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.len() == 2 {
            if let Ok(b) = u8::from_str_radix(name, 16) {
                dirs[usize::from(b)] = true;
            }
        }
    }
    dirs
}

fn guard_loose(repo: &Repository, oid: Oid) -> Result<(), LooseDamage> {
    use std::io::Read;
    let hex = oid.to_string();
    let path = repo.path().join("objects").join(&hex[..2]).join(&hex[2..]);
    let Ok(raw) = std::fs::read(&path) else {
        return Ok(());
    };
    let mut data = Vec::new();
    flate2::read::ZlibDecoder::new(&raw[..])
        .take(MAX_OBJECT_BYTES)
        .read_to_end(&mut data)
        .map_err(LooseDamage::Inflate)?;
    let nul = data
        .iter()
        .position(|&b| b == 0)
        .ok_or(LooseDamage::NoHeader)?;
    let header = std::str::from_utf8(&data[..nul]).map_err(|_| LooseDamage::BadHeader)?;
    let (kind, size) = header.split_once(' ').ok_or(LooseDamage::BadHeader)?;
    let size: usize = size.parse().map_err(|_| LooseDamage::BadSize)?;
    let body = &data[nul + 1..];
    if body.len() != size {
        return Err(LooseDamage::Truncated {
            found: body.len(),
            size,
        });
    }
    let kind = git2::ObjectType::from_str(kind).ok_or(LooseDamage::UnknownType)?;
    match Oid::hash_object(kind, body) {
        Ok(h) if h == oid => Ok(()),
        _ => Err(LooseDamage::Mismatch),
    }
}

/// Reads an object and checks its type and that its content hashes to its id.
pub(super) fn check_object<'o>(
    store: &Store,
    odb: &'o git2::Odb<'_>,
    oid: Oid,
    kind: git2::ObjectType,
) -> Result<git2::OdbObject<'o>, ObjectDamage> {
    store.guard_loose(oid)?;
    let hex = || oid.to_string();
    let obj = odb
        .read(oid)
        .map_err(|source| ObjectDamage::Unreadable { oid: hex(), source })?;
    if obj.kind() != kind {
        return Err(ObjectDamage::WrongType {
            oid: hex(),
            found: obj.kind().str(),
            expected: kind.str(),
        });
    }
    match Oid::hash_object(kind, obj.data()) {
        Ok(h) if h == oid => Ok(obj),
        Ok(h) => Err(ObjectDamage::Corrupt {
            oid: hex(),
            hash: h.to_string(),
        }),
        Err(source) => Err(ObjectDamage::Unhashable { oid: hex(), source }),
    }
}
