//! Zip containers: decides whether a zip is an Office document (xlsx/xlsm, docx, pptx, ods) or
//! a plain archive, and expands plain archives recursively under the bomb limits (nesting
//! depth, member size, total budget, compression ratio, member count; sizes are re-checked while
//! reading because headers can lie). Encrypted members (password zip) are reported, not skipped.

use super::member::Archive;
use super::{ExtractLimits, ExtractedDoc, Extraction, NotInspected, NotInspectedReason as R};

type Zip<'a> = Archive<'a>;

pub(super) fn extract_zip_container(
    path: &str,
    bytes: &[u8],
    limits: &ExtractLimits,
    depth: u32,
    budget: &mut u64,
    out: &mut Extraction,
) {
    let mut zip = match Archive::open(bytes) {
        Ok(z) => z,
        Err(e) => {
            out.not_inspected
                .push(NotInspected::new(path, R::Corrupt, format!("zip: {e}")));
            return;
        }
    };
    // The parts that make an Office container, looked for among the decoded names in one
    // pass (no copy of the name list; only a pptx needs it).
    const MARKERS: [&str; 6] = [
        "xl/workbook.xml",
        "xl/workbook.bin",
        "word/document.xml",
        "ppt/presentation.xml",
        "content.xml",
        "mimetype",
    ];
    let mut found = [false; MARKERS.len()];
    for name in zip.file_names().filter_map(Result::ok) {
        if let Some(k) = MARKERS.iter().position(|m| *m == name) {
            found[k] = true;
        }
    }
    let has = |n: &str| {
        MARKERS
            .iter()
            .position(|m| *m == n)
            .is_some_and(|k| found[k])
    };
    let office = has("xl/workbook.xml")
        || has("xl/workbook.bin")
        || has("word/document.xml")
        || has("ppt/presentation.xml")
        || has("content.xml") && has("mimetype");
    if office {
        if let Err(ni) = check_members(path, &mut zip, limits) {
            out.not_inspected.push(ni);
            return;
        }
        let result = if has("word/document.xml") {
            super::office::extract_docx(path, &mut zip, limits)
        } else if has("ppt/presentation.xml") {
            let names: Vec<String> = zip
                .file_names()
                .filter_map(Result::ok)
                .map(|n| n.into_owned())
                .collect();
            super::office::extract_pptx(path, &mut zip, &names, limits)
        } else {
            super::sheet::extract_zip_workbook(
                path,
                bytes,
                &mut zip,
                limits,
                has("xl/workbook.bin"),
            )
        };
        match result {
            Ok(blocks) => out.docs.push(ExtractedDoc {
                path: path.to_string(),
                blocks,
            }),
            Err(ni) => out.not_inspected.push(ni),
        }
        return;
    }
    if depth >= limits.max_depth {
        out.not_inspected.push(NotInspected::new(
            path,
            R::NestingTooDeep,
            format!("depth {depth}"),
        ));
        return;
    }
    if zip.len() > limits.max_members {
        out.not_inspected.push(NotInspected::new(
            path,
            R::TooLarge,
            format!("{} members", zip.len()),
        ));
        return;
    }
    for i in 0..zip.len() {
        let (name, size, compressed, encrypted, is_dir) = match zip.member(i, true) {
            Ok(m) => (m.name, m.size, m.compressed, m.encrypted, m.is_dir),
            Err(e) => {
                out.not_inspected.push(NotInspected::new(
                    path,
                    R::Corrupt,
                    format!("member {i}: {e}"),
                ));
                continue;
            }
        };
        if is_dir {
            continue;
        }
        let child = format!("{path}!/{name}");
        if encrypted {
            out.not_inspected.push(NotInspected::new(
                &child,
                R::EncryptedZip,
                "zip member flagged encrypted",
            ));
            continue;
        }
        if let Err(ni) = size_ok(&child, size, compressed, limits, *budget) {
            out.not_inspected.push(ni);
            continue;
        }
        match read_index(&mut zip, i, size) {
            Ok(data) => {
                *budget = budget.saturating_sub(data.len() as u64);
                super::extract_into(&child, None, &data, limits, depth + 1, budget, out);
            }
            Err(ni) => out.not_inspected.push(NotInspected {
                path: child.clone(),
                ..ni
            }),
        }
    }
}

fn size_ok(
    path: &str,
    size: u64,
    compressed: u64,
    limits: &ExtractLimits,
    budget: u64,
) -> Result<(), NotInspected> {
    if size > limits.max_member_bytes || size > budget {
        return Err(NotInspected::new(
            path,
            R::TooLarge,
            format!("{size} bytes uncompressed"),
        ));
    }
    if size > 1 << 20 && size / compressed.max(1) > limits.max_ratio {
        return Err(NotInspected::new(
            path,
            R::CompressionBomb,
            format!("{size} bytes from {compressed} compressed"),
        ));
    }
    Ok(())
}

/// Office containers: every member within the size/ratio limits and none encrypted.
fn check_members(
    path: &str,
    zip: &mut Zip<'_>,
    limits: &ExtractLimits,
) -> Result<(), NotInspected> {
    let mut total = 0u64;
    for i in 0..zip.len() {
        let f = zip
            .member(i, false)
            .map_err(|e| NotInspected::new(path, R::Corrupt, format!("member {i}: {e}")))?;
        if f.encrypted {
            return Err(NotInspected::new(
                path,
                R::EncryptedOffice,
                "encrypted member in Office zip",
            ));
        }
        total += f.size;
        size_ok(path, f.size, f.compressed, limits, limits.max_total_bytes)?;
    }
    if total > limits.max_total_bytes {
        return Err(NotInspected::new(
            path,
            R::TooLarge,
            format!("{total} bytes uncompressed"),
        ));
    }
    Ok(())
}

fn read_index(zip: &mut Zip<'_>, i: usize, declared: u64) -> Result<Vec<u8>, NotInspected> {
    let mut data = Vec::new();
    zip.read_index_into(i, declared, &mut data)?;
    Ok(data)
}

/// Reads a member by name (Office parts), at most `limit` bytes.
pub(super) fn read_named(
    zip: &mut Zip<'_>,
    path: &str,
    name: &str,
    limit: u64,
) -> Result<Vec<u8>, NotInspected> {
    let mut data = Vec::new();
    zip.read_named_into(path, name, limit, &mut data)?;
    Ok(data)
}

thread_local! {
    /// The inflated part being parsed (xlsx parts, docx body), kept between parts and files:
    /// a fresh buffer per part cost an allocation and, for larger parts, fresh pages from the
    /// kernel.
    static PART_BUFFER: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

/// Largest part buffer kept for the next file.
const KEEP_PART_BUFFER: usize = 4 << 20;

/// Runs `f` with this thread's part buffer (empty if a caller up the stack holds it).
pub(super) fn with_part_buffer<T>(f: impl FnOnce(&mut Vec<u8>) -> T) -> T {
    let mut buf = PART_BUFFER.take();
    let result = f(&mut buf);
    if buf.capacity() <= KEEP_PART_BUFFER {
        buf.clear();
        PART_BUFFER.set(buf);
    }
    result
}

/// [`read_named`] into `data` (cleared first; its capacity is reused across parts and files).
pub(super) fn read_named_into(
    zip: &mut Zip<'_>,
    path: &str,
    name: &str,
    limit: u64,
    data: &mut Vec<u8>,
) -> Result<(), NotInspected> {
    zip.read_named_into(path, name, limit, data)
}
