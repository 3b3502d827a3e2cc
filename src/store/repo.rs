//! Creating and opening a store, and the `redliner.store` mark that tells a
//! store from any other bare repository.

use super::error::StoreError;
use super::Store;
use git2::Repository;
use std::path::Path;

/// The git config key that marks a bare repository as a redliner store.
pub(super) const CONFIG_KEY: &str = "redliner.store";

impl Store {
    /// Creates a new empty store at `path` (which must not exist or be empty).
    pub fn init(path: &Path) -> Result<Store, StoreError> {
        if path.exists() && !is_empty_dir(path) {
            return match Store::open(path) {
                Ok(_) => Err(StoreError::AlreadyAStore {
                    path: path.to_path_buf(),
                }),
                Err(e) => Err(e),
            };
        }
        let create = |source| StoreError::Create {
            path: path.to_path_buf(),
            source,
        };
        let repo = Repository::init_bare(path).map_err(create)?;
        repo.config()
            .and_then(|mut c| c.set_bool(CONFIG_KEY, true))
            .map_err(create)?;
        Ok(Store {
            repo,
            path: path.to_path_buf(),
            loose_dirs: std::cell::OnceCell::new(),
        })
    }

    /// Opens an existing store.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        // libgit2 hashes every object it reads again by default; git does
        // not. redliner hashes each loose object itself before libgit2
        // reads it (the loose guard), and `verify` hashes every object, so
        // libgit2's second hash only slowed `log` down (a fifth of its
        // instructions on 1,000 packed revisions).
        git2::opts::strict_hash_verification(false);
        // Nor does caching parsed objects help: each command reads each
        // object about once (`log` reads each commit once; 5 % of its work
        // went to filling the cache).
        git2::opts::enable_caching(false);
        if !path.exists() {
            return Err(StoreError::NoStore {
                path: path.to_path_buf(),
            });
        }
        let repo = Repository::open(path).map_err(|source| StoreError::NotARepository {
            path: path.to_path_buf(),
            source,
        })?;
        if !repo.is_bare() {
            return Err(StoreError::NotBare {
                path: path.to_path_buf(),
            });
        }
        let marked = repo
            .config()
            .and_then(|c| c.get_bool(CONFIG_KEY))
            .unwrap_or(false);
        if !marked {
            return Err(StoreError::Unmarked {
                path: path.to_path_buf(),
            });
        }
        Ok(Store {
            repo,
            path: path.to_path_buf(),
            loose_dirs: std::cell::OnceCell::new(),
        })
    }

    /// Opens the store, creating it if the path does not exist or is an
    /// empty directory.
    pub fn open_or_create(path: &Path) -> Result<Store, StoreError> {
        if !path.exists() || is_empty_dir(path) {
            if let Some(parent) = path.parent() {
                if !parent.as_os_str().is_empty() {
                    std::fs::create_dir_all(parent).map_err(|source| StoreError::CreateDir {
                        path: parent.to_path_buf(),
                        source,
                    })?;
                }
            }
            return Store::init(path);
        }
        Store::open(path)
    }

    /// Where the store is.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn is_empty_dir(path: &Path) -> bool {
    std::fs::read_dir(path)
        .map(|mut d| d.next().is_none())
        .unwrap_or(false)
}
