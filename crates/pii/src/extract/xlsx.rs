//! A streaming xlsx/xlsm sheet reader: the parts are inflated from the already-open zip and
//! parsed once with a small pull tokenizer ([`lex`]) over the inflated text into the same cell grid calamine yields
//! (the bounding box of the non-empty cells, in sheet order). It exists for speed: calamine
//! re-opens the zip, copies every quick-xml event into buffers and builds full style objects,
//! ~1.5 µs per cell.
//!
//! Anything this reader does not understand (1904 date system, chart sheets, unknown cell
//! types, bad cell references, non-UTF-8 parts, very sparse grids …) is reported as
//! [`Unsupported`] and the caller falls back to calamine, which also decides corrupt files.

use super::archive::{read_named_into, with_part_buffer};
use super::{Block, ExtractLimits, Table};
use lex::{Lexer, Tok, attr, decoded, prefixed_id, push_decoded};

type Zip<'a> = super::member::Archive<'a>;

/// The fast reader met something it does not handle; the detail says what.
#[derive(Debug)]
pub(in crate::extract) struct Unsupported(pub String);

fn unsupported<T>(why: impl Into<String>) -> Result<T, Unsupported> {
    Err(Unsupported(why.into()))
}

/// Largest grid (rows × columns) built; sparser sheets go to calamine.
const MAX_GRID_CELLS: u64 = 20_000_000;

/// Reads every sheet of an xlsx/xlsm workbook as a [`Table`] (label = sheet name).
pub(super) fn read_workbook(
    path: &str,
    zip: &mut Zip<'_>,
    limits: &ExtractLimits,
) -> Result<Vec<Block>, Unsupported> {
    with_part_buffer(|buf| read_workbook_with(path, zip, limits, buf))
}

fn read_workbook_with(
    path: &str,
    zip: &mut Zip<'_>,
    limits: &ExtractLimits,
    buf: &mut Vec<u8>,
) -> Result<Vec<Block>, Unsupported> {
    let limit = limits.max_member_bytes;
    // The package relationships must name xl/workbook.xml as the main part (calamine reads
    // them too, and calls a package without them corrupt).
    let root = part(path, zip, "_rels/.rels", limit, buf)?
        .ok_or_else(|| Unsupported("no package relationships".into()))?;
    if !relationships(root, "")?
        .iter()
        .any(|(_, kind, target)| kind.ends_with("/officeDocument") && target == "xl/workbook.xml")
    {
        return unsupported("main part is not xl/workbook.xml");
    }
    let workbook = part(path, zip, "xl/workbook.xml", limit, buf)?
        .ok_or_else(|| Unsupported("no xl/workbook.xml".into()))?;
    let sheets = workbook_sheets(workbook)?;
    let rels = part(path, zip, "xl/_rels/workbook.xml.rels", limit, buf)?
        .ok_or_else(|| Unsupported("no workbook relationships".into()))?;
    let rels = relationships(rels, "xl")?;
    let strings = shared_strings(part(path, zip, "xl/sharedStrings.xml", limit, buf)?)?;
    let date_styles = match part(path, zip, "xl/styles.xml", limit, buf)? {
        Some(x) => date_styles(x)?,
        None => Vec::new(),
    };
    let mut blocks = Vec::with_capacity(sheets.len());
    for (name, rid) in sheets {
        let Some((kind, target)) = rels.iter().find(|r| r.0 == rid).map(|r| (&r.1, &r.2)) else {
            return unsupported(format!("sheet {name}: relationship {rid} missing"));
        };
        if !kind.ends_with("/worksheet") {
            return unsupported(format!("sheet {name}: {kind}"));
        }
        let Some(xml) = part(path, zip, target, limit, buf)? else {
            return unsupported(format!("sheet {name}: part {target} missing"));
        };
        let rows = sheet_grid(xml, &strings, &date_styles)?;
        blocks.push(Block::Table(Table { label: name, rows }));
    }
    Ok(blocks)
}

/// A part as UTF-8 text (read into `buf`, replacing what it held); `None` when absent. A
/// name present only in another letter case is unsupported (calamine matches part names
/// case-insensitively).
fn part<'b>(
    path: &str,
    zip: &mut Zip<'_>,
    name: &str,
    limit: u64,
    buf: &'b mut Vec<u8>,
) -> Result<Option<&'b str>, Unsupported> {
    if zip.index_for_name(name).is_none() {
        if zip
            .file_names()
            .any(|n| n.is_ok_and(|n| n.eq_ignore_ascii_case(name)))
        {
            return unsupported(format!("{name} in another letter case"));
        }
        return Ok(None);
    }
    read_named_into(zip, path, name, limit, buf).map_err(|ni| Unsupported(ni.detail))?;
    let bytes = buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(buf);
    super::text::utf8(bytes)
        .map(Some)
        .ok_or_else(|| Unsupported(format!("{name} is not UTF-8")))
}

/// `(name, relationship id)` of every `<sheet>` in workbook order.
fn workbook_sheets(xml: &str) -> Result<Vec<(String, String)>, Unsupported> {
    let mut lx = Lexer::new(xml);
    let mut sheets = Vec::new();
    while let Some(tok) = lx.next_tok()? {
        match tok {
            Tok::Start("workbookPr", attrs)
                if attr(attrs, "date1904").is_some_and(|v| v == "1" || v == "true") =>
            {
                return unsupported("1904 date system");
            }
            Tok::Start("sheet", attrs) => match (attr(attrs, "name"), prefixed_id(attrs)) {
                (Some(n), Some(r)) => sheets.push((decoded(n)?, decoded(r)?)),
                _ => return unsupported("sheet without name or r:id"),
            },
            _ => {}
        }
    }
    Ok(sheets)
}

/// `(Id, Type, resolved part name)` of every relationship of a part in folder `base`.
fn relationships(xml: &str, base: &str) -> Result<Vec<(String, String, String)>, Unsupported> {
    let mut lx = Lexer::new(xml);
    let mut rels = Vec::new();
    while let Some(tok) = lx.next_tok()? {
        if let Tok::Start("Relationship", attrs) = tok {
            if attr(attrs, "TargetMode").is_some_and(|m| m == "External") {
                continue;
            }
            if let (Some(id), Some(kind), Some(target)) = (
                attr(attrs, "Id"),
                attr(attrs, "Type"),
                attr(attrs, "Target"),
            ) {
                rels.push((
                    decoded(id)?,
                    decoded(kind)?,
                    resolve_target(base, &decoded(target)?),
                ));
            }
        }
    }
    Ok(rels)
}

/// A relationship target relative to `base` (or absolute from the package root) as a zip name.
fn resolve_target(base: &str, target: &str) -> String {
    let mut parts: Vec<&str> = if target.starts_with('/') || base.is_empty() {
        Vec::new()
    } else {
        vec![base]
    };
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Appends text with Excel's `_xHHHH_` escapes decoded (UTF-16 units; a lone surrogate
/// becomes U+FFFD).
fn push_unescaped(out: &mut String, s: &str) {
    if !s.contains("_x") {
        out.push_str(s);
        return;
    }
    let unit_at = |s: &str, i: usize| -> Option<u16> {
        let b = s.as_bytes();
        if b.get(i..i + 2)? != b"_x" || *b.get(i + 6)? != b'_' {
            return None;
        }
        let hex = s.get(i + 2..i + 6)?;
        if !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        u16::from_str_radix(hex, 16).ok()
    };
    let mut i = 0;
    let mut copied = 0;
    while let Some(off) = s[i..].find("_x") {
        let at = i + off;
        let Some(unit) = unit_at(s, at) else {
            i = at + 2;
            continue;
        };
        out.push_str(&s[copied..at]);
        let mut next = at + 7;
        let c = match unit {
            0xD800..=0xDBFF => match unit_at(s, next) {
                Some(low @ 0xDC00..=0xDFFF) => {
                    next += 7;
                    let cp =
                        0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                    char::from_u32(cp).unwrap_or(char::REPLACEMENT_CHARACTER)
                }
                _ => char::REPLACEMENT_CHARACTER,
            },
            u => char::from_u32(u32::from(u)).unwrap_or(char::REPLACEMENT_CHARACTER),
        };
        out.push(c);
        i = next;
        copied = next;
    }
    out.push_str(&s[copied..]);
}

/// Appends the text of a `<t>` alone in its item: decoded, trimmed of ASCII whitespace
/// unless `xml:space="preserve"`, unescaped.
fn push_item_text(out: &mut String, raw: &str, preserve: bool) -> Result<(), Unsupported> {
    // Most items hold no reference, CR or `_x` escape: one byte scan decides, then one copy.
    if !raw.bytes().any(|b| matches!(b, b'&' | b'\r' | b'_')) {
        let s = if preserve {
            raw
        } else {
            raw.trim_matches([' ', '\t', '\r', '\n'])
        };
        out.push_str(s);
        return Ok(());
    }
    let text = lex::decoded_cow(raw)?;
    let s = if preserve {
        &text
    } else {
        text.trim_matches([' ', '\t', '\r', '\n'])
    };
    push_unescaped(out, s);
    Ok(())
}

/// Reads a string item (`<si>` of the shared strings or a cell's `<is>`) up to its end tag:
/// the `<t>` runs, plain or rich (`<r><t>`), concatenated; phonetic runs (`<rPh>`, the
/// furigana Excel stores with Japanese text) excluded. A `<t>` without `xml:space="preserve"`
/// loses surrounding ASCII whitespace.
fn read_string_item(lx: &mut Lexer<'_>, end: &str) -> Result<String, Unsupported> {
    let mut out = String::new();
    read_string_item_into(lx, end, &mut out)?;
    Ok(out)
}

/// [`read_string_item`] appending to `out`.
fn read_string_item_into(
    lx: &mut Lexer<'_>,
    end: &str,
    out: &mut String,
) -> Result<(), Unsupported> {
    // The common item, `<t>text</t>` alone, without the general loop's buffers: first by its
    // exact bytes, then by tokens.
    if let Some((x, preserve)) = lx.simple_text_item(end) {
        return push_item_text(out, x, preserve);
    }
    let mut probe = lx.clone();
    if let (
        Some(Tok::Start("t", attrs)),
        Some(Tok::Text(x)),
        Some(Tok::End("t")),
        Some(Tok::End(e)),
    ) = (
        probe.next_tok()?,
        probe.next_tok()?,
        probe.next_tok()?,
        probe.next_tok()?,
    ) && e == end
    {
        *lx = probe;
        return push_item_text(
            out,
            x,
            attr(attrs, "space").is_some_and(|v| v == "preserve"),
        );
    }
    let mut phonetic = 0u32;
    let mut t: Option<(bool, String)> = None;
    loop {
        match lx.next_tok()? {
            Some(Tok::Start("rPh", _)) => phonetic += 1,
            Some(Tok::Start("t", attrs)) if phonetic == 0 => {
                let preserve = attr(attrs, "space").is_some_and(|v| v == "preserve");
                t = Some((preserve, String::new()));
            }
            Some(Tok::Text(x)) => {
                if let Some((_, buf)) = t.as_mut() {
                    push_decoded(buf, x)?;
                }
            }
            Some(Tok::End("rPh")) => phonetic = phonetic.saturating_sub(1),
            Some(Tok::End("t")) => {
                if let Some((preserve, buf)) = t.take() {
                    let s = if preserve {
                        buf.as_str()
                    } else {
                        buf.trim_matches([' ', '\t', '\r', '\n'])
                    };
                    push_unescaped(out, s);
                }
            }
            Some(Tok::End(n)) if n == end => return Ok(()),
            None => return unsupported("string item not closed"),
            _ => {}
        }
    }
}

/// The shared string table: every item's text in one buffer (one allocation for the table,
/// not one per item), each cell copying its item out.
pub(super) struct SharedStrings {
    text: String,
    /// End offset in `text` of each item, in index order.
    ends: Vec<usize>,
}

impl SharedStrings {
    /// Item `idx`.
    fn get(&self, idx: usize) -> Option<&str> {
        let end = *self.ends.get(idx)?;
        let start = match idx.checked_sub(1) {
            Some(prev) => *self.ends.get(prev)?,
            None => 0,
        };
        self.text.get(start..end)
    }
}

/// The shared string table in index order (`None` part: empty).
fn shared_strings(xml: Option<&str>) -> Result<SharedStrings, Unsupported> {
    let mut strings = SharedStrings {
        text: String::new(),
        ends: Vec::new(),
    };
    let Some(xml) = xml else {
        return Ok(strings);
    };
    let mut lx = Lexer::new(xml);
    while let Some(tok) = lx.next_tok()? {
        match tok {
            Tok::Start("sst", attrs) => {
                let n: usize = attr(attrs, "uniqueCount")
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0);
                strings.ends.reserve(n.min(1 << 20));
            }
            Tok::Start("si", _) => {
                read_string_item_into(&mut lx, "si", &mut strings.text)?;
                strings.ends.push(strings.text.len());
            }
            _ => {}
        }
    }
    Ok(strings)
}

/// For each cell style (`cellXfs/xf`, by index), whether its number format shows a date or
/// time: a custom `numFmt` by its code, else the built-in id.
fn date_styles(xml: &str) -> Result<Vec<bool>, Unsupported> {
    let mut lx = Lexer::new(xml);
    let mut custom: Vec<(String, bool)> = Vec::new();
    let mut styles = Vec::new();
    let mut in_cell_xfs = false;
    while let Some(tok) = lx.next_tok()? {
        match tok {
            Tok::Start("numFmt", attrs) => {
                if let (Some(id), Some(code)) = (attr(attrs, "numFmtId"), attr(attrs, "formatCode"))
                {
                    custom.push((id.to_string(), is_date_format(&decoded(code)?)));
                }
            }
            Tok::Start("cellXfs", _) => in_cell_xfs = true,
            Tok::End("cellXfs") => in_cell_xfs = false,
            Tok::Start("xf", attrs) if in_cell_xfs => {
                let date = attr(attrs, "numFmtId").is_some_and(|id| {
                    match custom.iter().find(|(c, _)| c == id) {
                        Some((_, d)) => *d,
                        None => builtin_date_format(id),
                    }
                });
                styles.push(date);
            }
            _ => {}
        }
    }
    Ok(styles)
}

/// Built-in number formats (ECMA-376 Part 1 §18.8.30) that show dates or times: 14–22 and
/// 45–47, plus the East Asian date formats 27–36 and 50–58.
fn builtin_date_format(id: &str) -> bool {
    matches!(id.parse::<u32>(), Ok(14..=22 | 27..=36 | 45..=47 | 50..=58))
}

/// Whether a custom format code shows a date or time: its first section has a date/time
/// token (y, m, d, h, s, AM/PM, A/P, or an elapsed `[h]`/`[m]`/`[s]`) outside quoted text,
/// escaped characters and other bracketed parts (colours, locales, conditions).
pub(super) fn is_date_format(code: &str) -> bool {
    let mut chars = code.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ';' => return false,
            '\\' | '_' | '*' => {
                chars.next();
            }
            '"' => {
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                }
            }
            '[' => {
                let mut inner = String::new();
                for b in chars.by_ref() {
                    if b == ']' {
                        break;
                    }
                    inner.push(b);
                }
                let elapsed = !inner.is_empty()
                    && inner
                        .chars()
                        .all(|x| matches!(x.to_ascii_lowercase(), 'h' | 'm' | 's'));
                if elapsed {
                    return true;
                }
            }
            'y' | 'Y' | 'm' | 'M' | 'd' | 'D' | 'h' | 'H' | 's' | 'S' => return true,
            'a' | 'A'
                if chars
                    .peek()
                    .is_some_and(|n| *n == '/' || n.eq_ignore_ascii_case(&'m')) =>
            {
                return true;
            }
            _ => {}
        }
    }
    false
}

/// `C5` → (row 4, column 2), zero-based.
fn cell_ref(r: &str) -> Option<(u32, u32)> {
    let split = r.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = r.split_at(split);
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let mut col = 0u32;
    for b in letters.bytes() {
        if !b.is_ascii_uppercase() {
            return None;
        }
        col = col * 26 + u32::from(b - b'A') + 1;
    }
    let row: u32 = digits.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

mod grid;
pub(super) mod lex;
use grid::sheet_grid;

#[cfg(test)]
mod tests;
