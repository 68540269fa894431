//! An open zip archive and the direct reading of its members.
//!
//! The zip crate opens the archive (its central-directory parse also decides what is corrupt)
//! and stays the reference for every member. Attachments are small (an xlsx holds 3 KB in ten
//! parts), and the crate's per-member reader — an 8 KiB `BufReader`, boxed readers and a new
//! inflate state with its 32 KiB window for every member — cost more than the inflating
//! itself. So a member is first inflated directly from the archive bytes with one
//! [`flate2::Decompress`] per thread (reset between members) in a single call into a buffer of
//! the declared size. That direct read is used only when it is complete and clean: a stored or
//! deflated, unencrypted member whose local header is where the central directory says, whose
//! stream ends within its compressed bytes, and whose output has exactly the declared size
//! (within the caller's limit) and the declared CRC-32. Then the zip crate's reader would yield
//! the same bytes without error. Anything else — encrypted, other methods, truncated or bad
//! streams, size or CRC mismatches, members larger than the limit — is read again through the
//! zip crate, which gives its own result and error text as before.

use super::{NotInspected, NotInspectedReason as R};
use std::borrow::Cow;
use std::cell::RefCell;
use std::io::{Cursor, Read};
use zip::{CompressionMethod, ZipArchive};

/// An open zip archive over its bytes.
pub(super) struct Archive<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    bytes: &'a [u8],
}

/// What the central directory says about a member.
pub(super) struct Member {
    /// Decoded name (`#i` when the name cannot be decoded; empty when not asked for).
    pub(super) name: String,
    /// Declared uncompressed size.
    pub(super) size: u64,
    /// Declared compressed size.
    pub(super) compressed: u64,
    /// Flagged encrypted.
    pub(super) encrypted: bool,
    /// A directory entry.
    pub(super) is_dir: bool,
}

/// Size of the fixed part of a local file header, signature included.
const LOCAL_HEADER: usize = 30;

impl<'a> Archive<'a> {
    /// Opens the archive (the zip crate's error when it is not one).
    pub(super) fn open(bytes: &'a [u8]) -> zip::result::ZipResult<Self> {
        Ok(Archive {
            zip: ZipArchive::new(Cursor::new(bytes))?,
            bytes,
        })
    }

    /// Number of members.
    pub(super) fn len(&self) -> usize {
        self.zip.len()
    }

    /// Member names (decoded) in central-directory order.
    pub(super) fn file_names(&self) -> impl Iterator<Item = zip::result::ZipResult<Cow<'_, str>>> {
        self.zip.file_names()
    }

    /// Index of the member named `name` (the zip crate's lookup).
    pub(super) fn index_for_name(&self, name: &str) -> Option<usize> {
        self.zip.index_for_name(name)
    }

    /// The local header of member `i` as the zip crate finds it: `(data start, compressed
    /// size)` when its 30 fixed bytes are in the archive with the right signature and the data
    /// end fits in a `u64` (then the crate's `by_index_raw` succeeds too).
    fn data_start(&self, header_start: u64, compressed: u64) -> Option<u64> {
        let h = usize::try_from(header_start).ok()?;
        let head = self.bytes.get(h..h.checked_add(LOCAL_HEADER)?)?;
        if head.get(..4)? != b"PK\x03\x04" {
            return None;
        }
        let field = |at: usize| -> Option<u64> {
            Some(u64::from(u16::from_le_bytes([
                *head.get(at)?,
                *head.get(at + 1)?,
            ])))
        };
        let start = header_start
            .checked_add(LOCAL_HEADER as u64)?
            .checked_add(field(26)? + field(28)?)?;
        start.checked_add(compressed)?;
        Some(start)
    }

    /// The central-directory facts of member `i` (its name only `with_name`), with the zip
    /// crate's error text (for `by_index_raw`, which also reads the local header) when it
    /// cannot be read.
    pub(super) fn member(&mut self, i: usize, with_name: bool) -> Result<Member, String> {
        let name = |n: zip::result::ZipResult<Cow<'_, str>>| {
            if with_name {
                n.map(|n| n.into_owned())
                    .unwrap_or_else(|_| format!("#{i}"))
            } else {
                String::new()
            }
        };
        #[cfg(test)]
        let direct = !DIRECT_READS_OFF.get();
        #[cfg(not(test))]
        let direct = true;
        if direct
            && let Ok(e) = self.zip.by_index_data(i)
            && self
                .data_start(e.header_start(), e.compressed_size())
                .is_some()
        {
            return Ok(Member {
                name: name(e.name()),
                size: e.size(),
                compressed: e.compressed_size(),
                encrypted: e.encrypted(),
                is_dir: e.is_dir(),
            });
        }
        let f = self.zip.by_index_raw(i).map_err(|e| e.to_string())?;
        Ok(Member {
            name: name(f.name()),
            size: f.size(),
            compressed: f.compressed_size(),
            encrypted: f.encrypted(),
            is_dir: f.is_dir(),
        })
    }

    /// Inflates member `i` straight from the archive bytes, appending to `data`; `false`
    /// (with `data` as it was) unless the read is complete and clean (see the module text).
    fn read_direct(&self, i: usize, limit: u64, data: &mut Vec<u8>) -> bool {
        #[cfg(test)]
        if DIRECT_READS_OFF.get() {
            return false;
        }
        let Ok(e) = self.zip.by_index_data(i) else {
            return false;
        };
        if e.encrypted() || e.size() > limit {
            return false;
        }
        let (Ok(size), Ok(compressed)) = (
            usize::try_from(e.size()),
            usize::try_from(e.compressed_size()),
        ) else {
            return false;
        };
        let Some(raw) = self
            .data_start(e.header_start(), e.compressed_size())
            .and_then(|s| usize::try_from(s).ok())
            .and_then(|s| self.bytes.get(s..s.checked_add(compressed)?))
        else {
            return false;
        };
        let before = data.len();
        let done = match e.compression() {
            CompressionMethod::Stored if compressed == size => {
                data.extend_from_slice(raw);
                true
            }
            CompressionMethod::Deflated => inflate_whole(raw, size, data),
            _ => false,
        };
        let clean = done && data.len() - before == size && {
            let mut crc = flate2::Crc::new();
            crc.update(&data[before..]);
            crc.sum() == e.crc32()
        };
        if !clean {
            data.truncate(before);
        }
        clean
    }

    /// Member `i` into `data` (cleared first), at most `limit` bytes: `Err` with the zip
    /// crate's text as the detail (and an empty path) when it cannot be read.
    pub(super) fn read_index_into(
        &mut self,
        i: usize,
        limit: u64,
        data: &mut Vec<u8>,
    ) -> Result<(), NotInspected> {
        data.clear();
        if self.read_direct(i, limit, data) {
            return Ok(());
        }
        let f = self
            .zip
            .by_index(i)
            .map_err(|e| NotInspected::new("", R::Corrupt, format!("zip member: {e}")))?;
        let declared = f.size();
        read_limited_into(f, limit, declared, data)
    }

    /// Member `name` into `data` (cleared first), at most `limit` bytes; errors name `path`
    /// and the member.
    pub(super) fn read_named_into(
        &mut self,
        path: &str,
        name: &str,
        limit: u64,
        data: &mut Vec<u8>,
    ) -> Result<(), NotInspected> {
        data.clear();
        if let Some(i) = self.zip.index_for_name(name)
            && self.read_direct(i, limit, data)
        {
            return Ok(());
        }
        let f = self
            .zip
            .by_name(name)
            .map_err(|e| NotInspected::new(path, R::Corrupt, format!("{name}: {e}")))?;
        let declared = f.size();
        read_limited_into(f, limit, declared, data).map_err(|ni| NotInspected {
            path: path.to_string(),
            ..ni
        })
    }
}

thread_local! {
    /// One raw-deflate state per thread, reset between members (a new one allocates its
    /// state and window).
    static INFLATER: RefCell<Option<flate2::Decompress>> = const { RefCell::new(None) };
}

/// Inflates the whole raw deflate stream `raw` in one call into `size` bytes (plus one to
/// notice more) of room after `data`'s end; `true` when the stream ended there.
fn inflate_whole(raw: &[u8], size: usize, data: &mut Vec<u8>) -> bool {
    let Some(room) = size.checked_add(1) else {
        return false;
    };
    data.reserve(room);
    let run = |d: &mut flate2::Decompress, data: &mut Vec<u8>| {
        matches!(
            d.decompress_vec(raw, data, flate2::FlushDecompress::Finish),
            Ok(flate2::Status::StreamEnd)
        )
    };
    INFLATER.with(|cell| match cell.try_borrow_mut() {
        Ok(mut slot) => {
            let d = slot.get_or_insert_with(|| flate2::Decompress::new(false));
            d.reset(false);
            run(d, data)
        }
        Err(_) => run(&mut flate2::Decompress::new(false), data),
    })
}

/// Reads at most `limit` bytes, appending to `data`; `declared` (the header's size) only
/// sizes the buffer.
pub(super) fn read_limited_into(
    f: impl Read,
    limit: u64,
    declared: u64,
    data: &mut Vec<u8>,
) -> Result<(), NotInspected> {
    data.reserve(declared.min(limit).min(64 << 20) as usize + 1);
    let before = data.len();
    f.take(limit + 1)
        .read_to_end(data)
        .map_err(|e| NotInspected::new("", R::Corrupt, format!("read: {e}")))?;
    if (data.len() - before) as u64 > limit {
        return Err(NotInspected::new(
            "",
            R::CompressionBomb,
            "member larger than its header says",
        ));
    }
    Ok(())
}

#[cfg(test)]
thread_local! {
    /// Tests turn the direct read off to get the zip crate's reading of everything.
    pub(super) static DIRECT_READS_OFF: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

#[cfg(test)]
mod tests;
