//! Dashboard accounts: the users file and Argon2id password hashes.
//!
//! Users live in a small JSON file beside the database (`mimamori-users.json` by default),
//! written with mode 0600 through a temporary file and a rename, so a crash never leaves half a
//! file and other local users cannot read the hashes. `mimamori user add NAME` calls
//! [`add_user`]. For a quick start, `MIMAMORI_ADMIN_PASSWORD` adds an in-memory `admin` user
//! hashed at start-up (see [`crate::serve`]). Only Argon2id PHC strings are stored, never
//! passwords.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The shortest password [`add_user`] accepts.
pub const MIN_PASSWORD_LEN: usize = 10;

/// The users file as stored.
#[derive(Debug, Default, Serialize, Deserialize)]
struct UsersFile {
    users: Vec<UserEntry>,
}

#[derive(Debug, Serialize, Deserialize)]
struct UserEntry {
    name: String,
    /// Argon2id PHC string (`$argon2id$v=19$m=…`).
    password_hash: String,
}

/// The accounts allowed to log in: name → Argon2 PHC hash.
#[derive(Debug, Default, Clone)]
pub struct UserDb {
    by_name: BTreeMap<String, String>,
}

impl UserDb {
    /// No users.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads the users file; a missing file is an empty user list.
    pub fn load(path: &Path) -> Result<Self> {
        let file = read_file(path)?;
        let by_name = file
            .users
            .into_iter()
            .map(|u| (u.name, u.password_hash))
            .collect();
        Ok(Self { by_name })
    }

    /// Adds (or replaces) a user in memory, hashing `password` now.
    pub fn insert_password(&mut self, name: &str, password: &str) -> Result<()> {
        check_name(name)?;
        check_password(password)?;
        self.by_name
            .insert(name.to_string(), hash_password(password)?);
        Ok(())
    }

    /// True when nobody could log in.
    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    /// Number of users.
    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    /// Checks a name and password. Unknown names cost one Argon2 hash too, so the response
    /// time does not tell which names exist.
    pub fn verify(&self, name: &str, password: &str) -> bool {
        let argon = Argon2::default();
        match self.by_name.get(name) {
            Some(hash) => argon
                .verify_password(password.as_bytes(), hash.as_str())
                .is_ok(),
            None => {
                let _ = PasswordHasher::<argon2::PasswordHash>::hash_password_with_salt(
                    &argon,
                    password.as_bytes(),
                    b"mimamori-timing-equalizer",
                );
                false
            }
        }
    }
}

/// Adds `name` with `password` to the users file at `users_file` (creating it with mode 0600),
/// replacing the user's previous password if the name exists.
pub fn add_user(users_file: &Path, name: &str, password: &str) -> Result<()> {
    check_name(name)?;
    check_password(password)?;
    let mut file = read_file(users_file)?;
    let password_hash = hash_password(password)?;
    file.users.retain(|u| u.name != name);
    file.users.push(UserEntry {
        name: name.to_string(),
        password_hash,
    });
    file.users.sort_by(|a, b| a.name.cmp(&b.name));
    write_file(users_file, &file)?;
    tracing::info!(user = name, file = %users_file.display(), "dashboard user saved");
    Ok(())
}

/// The default users file for a database: `mimamori-users.json` in the database's folder.
pub fn default_users_file(db: &Path) -> PathBuf {
    db.parent()
        .unwrap_or_else(|| Path::new("."))
        .join("mimamori-users.json")
}

fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'@' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(Error::BadUserName(name.to_string()))
    }
}

fn check_password(password: &str) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(Error::WeakPassword {
            min: MIN_PASSWORD_LEN,
        });
    }
    Ok(())
}

fn hash_password(password: &str) -> Result<String> {
    let hash: argon2::PasswordHash = Argon2::default()
        .hash_password(password.as_bytes())
        .map_err(|e| Error::Hash(e.to_string()))?;
    Ok(hash.to_string())
}

fn read_file(path: &Path) -> Result<UsersFile> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(UsersFile::default()),
        Err(source) => {
            return Err(Error::UsersFileIo {
                path: path.to_path_buf(),
                action: "read",
                source,
            });
        }
    };
    warn_if_readable_by_others(path);
    serde_json::from_str(&text).map_err(|source| Error::UsersFileFormat {
        path: path.to_path_buf(),
        source,
    })
}

fn write_file(path: &Path, file: &UsersFile) -> Result<()> {
    let io_err = |action, source| Error::UsersFileIo {
        path: path.to_path_buf(),
        action,
        source,
    };
    let json = serde_json::to_vec_pretty(file).map_err(|source| Error::UsersFileFormat {
        path: path.to_path_buf(),
        source,
    })?;
    let tmp = path.with_extension("json.tmp");
    let _ = std::fs::remove_file(&tmp);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut out = options.open(&tmp).map_err(|e| io_err("write", e))?;
    out.write_all(&json)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.sync_all())
        .map_err(|e| io_err("write", e))?;
    drop(out);
    std::fs::rename(&tmp, path).map_err(|e| io_err("replace", e))?;
    Ok(())
}

#[cfg(unix)]
fn warn_if_readable_by_others(path: &Path) {
    use std::os::unix::fs::PermissionsExt as _;
    if let Ok(meta) = std::fs::metadata(path)
        && meta.permissions().mode() & 0o077 != 0
    {
        tracing::warn!(file = %path.display(), "users file is readable by other users; chmod 600 it");
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_user_writes_a_private_file_that_verifies() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("users.json");
        add_user(&path, "analyst", "correct horse battery").expect("add");
        add_user(&path, "second", "another long password").expect("add");
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains("$argon2id$"), "{text}");
        assert!(!text.contains("correct horse"), "password stored in clear");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let db = UserDb::load(&path).expect("load");
        assert_eq!(db.len(), 2);
        assert!(db.verify("analyst", "correct horse battery"));
        assert!(!db.verify("analyst", "wrong password!!"));
        assert!(!db.verify("nobody", "correct horse battery"));
    }

    #[test]
    fn rejects_bad_names_and_short_passwords() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("users.json");
        assert!(matches!(
            add_user(&path, "../evil", "long enough password"),
            Err(Error::BadUserName(_))
        ));
        assert!(matches!(
            add_user(&path, "ok", "short"),
            Err(Error::WeakPassword { .. })
        ));
        assert!(!path.exists());
    }

    #[test]
    fn damaged_users_file_is_a_clear_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("users.json");
        std::fs::write(&path, "{not json").expect("write");
        let err = UserDb::load(&path).expect_err("must fail");
        assert!(err.to_string().contains("users.json"), "{err}");
    }
}
