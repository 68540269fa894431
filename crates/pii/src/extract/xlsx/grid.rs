//! One worksheet's `<sheetData>` → cell grid. Cells are placed by their `r` reference (or,
//! without one, after the previous cell of the row); the grid is the bounding box of the
//! non-empty cells, like calamine's `Range`, with each value as text exactly as
//! `sheet::cell_text` renders calamine's: shared/inline strings, integral numbers without
//! `.0`, dates (by the cell style's number format) as ISO dates, booleans, error codes.

use super::lex::{Lexer, Tok, attr, attrs, decoded_cow, local_name};
use super::{
    MAX_GRID_CELLS, SharedStrings, Unsupported, cell_ref, push_unescaped, read_string_item,
    unsupported,
};
use crate::extract::sheet::{number_text, serial_to_date};
use std::borrow::Cow;

/// What the last value element of a `<c>` held.
enum Raw<'a> {
    None,
    V(Cow<'a, str>),
    Inline(String),
}

/// Reads the rest of a `<c>` element (after its start tag) and returns its raw value.
fn read_cell<'a>(lx: &mut Lexer<'a>) -> Result<Raw<'a>, Unsupported> {
    // Most cells are exactly `<v>…</v></c>`.
    if let Some(t) = lx.simple_cell_value() {
        return Ok(Raw::V(decoded_cow(t)?));
    }
    let mut raw = Raw::None;
    loop {
        match lx.next_tok()? {
            Some(Tok::Start("v", _)) => {
                let mut v = Cow::Borrowed("");
                loop {
                    match lx.next_tok()? {
                        Some(Tok::Text(t)) if v.is_empty() => v = decoded_cow(t)?,
                        Some(Tok::Text(t)) => v.to_mut().push_str(&decoded_cow(t)?),
                        Some(Tok::End("v")) => break,
                        _ => return unsupported("markup inside a cell value"),
                    }
                }
                raw = Raw::V(v);
            }
            Some(Tok::Start("is", _)) => raw = Raw::Inline(read_string_item(lx, "is")?),
            Some(Tok::Start("f", _)) => {
                lx.skip_element()?;
                raw = Raw::None;
            }
            Some(Tok::Start(other, _)) => return unsupported(format!("<{other}> inside a cell")),
            Some(Tok::End("c")) => return Ok(raw),
            Some(_) => {}
            None => return unsupported("cell not closed"),
        }
    }
}

/// The text of a cell from its raw value, type (`t`) and whether its style is a date format;
/// `None` for an empty cell.
fn cell_value(
    raw: Raw,
    kind: Option<&str>,
    date: bool,
    strings: &SharedStrings,
) -> Result<Option<String>, Unsupported> {
    let v = match raw {
        Raw::None => return Ok(None),
        Raw::Inline(s) => return Ok(Some(s)),
        Raw::V(_) if matches!(kind, Some("inlineStr" | "is")) => return Ok(None),
        Raw::V(v) => v,
    };
    Ok(match kind {
        Some("s") => {
            if v.is_empty() {
                return Ok(None);
            }
            let idx: usize = v.trim().parse().unwrap_or(0);
            match strings.get(idx) {
                Some(s) => Some(s.to_string()),
                None => return unsupported(format!("shared string {idx} missing")),
            }
        }
        Some("b") => match v.trim() {
            "" => None,
            "0" => Some("false".into()),
            "1" => Some("true".into()),
            b if b.eq_ignore_ascii_case("false") => Some("false".into()),
            b if b.eq_ignore_ascii_case("true") => Some("true".into()),
            _ => return unsupported("bad boolean"),
        },
        Some("d") => Some(v.into_owned()),
        Some("e") => Some(
            match &*v {
                "#DIV/0!" => "#Div0",
                "#N/A" => "#NA",
                "#NAME?" => "#Name",
                "#NULL!" => "#Null",
                "#NUM!" => "#Num",
                "#REF!" => "#Ref",
                "#VALUE!" => "#Value",
                "#GETTING_DATA" => "#GettingData",
                _ => return unsupported("unknown error value"),
            }
            .into(),
        ),
        Some("str") => {
            let mut s = String::with_capacity(v.len());
            push_unescaped(&mut s, &v);
            Some(s)
        }
        Some("n") | None => {
            if v.is_empty() {
                return Ok(None);
            }
            if !date && let Some(t) = integer_text(&v) {
                return Ok(Some(t));
            }
            match v.parse::<f64>() {
                Ok(f) if date => Some(serial_to_date(f)),
                Ok(f) => Some(number_text(f)),
                Err(_) if kind.is_none() => Some(v.into_owned()),
                Err(_) => return unsupported("bad number"),
            }
        }
        Some(other) => return unsupported(format!("cell type {other}")),
    })
}

/// What `number_text(v.parse::<f64>())` gives for a plain integer `v` of up to 15 digits
/// (exact in an `f64`, so printed back as the same digits without leading zeros), without the
/// float parse and format; `None` for anything else.
fn integer_text(v: &str) -> Option<String> {
    if v.is_empty() || v.len() > 15 || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let t = v.trim_start_matches('0');
    Some(if t.is_empty() { "0" } else { t }.to_string())
}

/// The grid of one worksheet part.
pub(super) fn sheet_grid(
    xml: &str,
    strings: &SharedStrings,
    date_styles: &[bool],
) -> Result<Vec<Vec<String>>, Unsupported> {
    let mut lx = Lexer::new(xml);
    let mut cells: Vec<(u32, u32, String)> = Vec::new();
    let (mut row, mut col) = (0u32, 0u32);
    let mut in_data = false;
    loop {
        match lx.next_tok()? {
            Some(Tok::Start("sheetData", _)) => in_data = true,
            Some(Tok::Start("row", attrs)) if in_data => {
                if let Some(r) = attr(attrs, "r") {
                    row = match r.parse::<u32>().ok().and_then(|r| r.checked_sub(1)) {
                        Some(r) => r,
                        None => return unsupported(format!("row number {r}")),
                    };
                }
            }
            Some(Tok::Start("c", text)) if in_data => {
                let (mut r, mut s, mut kind) = (None, None, None);
                for (k, v) in attrs(text) {
                    match local_name(k) {
                        "r" => r = Some(v),
                        "s" => s = Some(v),
                        "t" => kind = Some(v),
                        _ => {}
                    }
                }
                let pos = match r {
                    Some(r) => match cell_ref(r) {
                        Some(p) => p,
                        None => return unsupported(format!("cell reference {r}")),
                    },
                    None => (row, col),
                };
                col = pos.1.saturating_add(1);
                let date = s.is_some_and(|s| {
                    let id: usize = s.parse().unwrap_or(0);
                    date_styles.get(id).copied().unwrap_or(false)
                });
                let raw = read_cell(&mut lx)?;
                if let Some(v) = cell_value(raw, kind, date, strings)? {
                    cells.push((pos.0, pos.1, v));
                }
            }
            Some(Tok::End("row")) if in_data => {
                row = row.saturating_add(1);
                col = 0;
            }
            Some(Tok::End("sheetData")) => break,
            Some(_) => {}
            None => return unsupported("no complete sheetData"),
        }
    }
    to_grid(cells)
}

/// The bounding box of the cells as rows of text (later cells win on a repeated position).
fn to_grid(cells: Vec<(u32, u32, String)>) -> Result<Vec<Vec<String>>, Unsupported> {
    if cells.is_empty() {
        return Ok(Vec::new());
    }
    let (mut r0, mut r1, mut c0, mut c1) = (u32::MAX, 0, u32::MAX, 0);
    for (r, c, _) in &cells {
        r0 = r0.min(*r);
        r1 = r1.max(*r);
        c0 = c0.min(*c);
        c1 = c1.max(*c);
    }
    let (rows, cols) = (u64::from(r1 - r0) + 1, u64::from(c1 - c0) + 1);
    if rows * cols > MAX_GRID_CELLS {
        return unsupported(format!("sparse grid {rows}x{cols}"));
    }
    let mut grid: Vec<Vec<String>> = (0..rows)
        .map(|_| {
            let mut row = Vec::with_capacity(cols as usize);
            row.resize_with(cols as usize, String::new);
            row
        })
        .collect();
    for (r, c, v) in cells {
        if let Some(cell) = grid
            .get_mut((r - r0) as usize)
            .and_then(|row| row.get_mut((c - c0) as usize))
        {
            *cell = v;
        }
    }
    Ok(grid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_cells_read_like_the_float_path() {
        let mut cases: Vec<String> = ["0", "00", "007", "9012345678", "123456789012", "1", "10"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        for len in 1..=17 {
            cases.push("9".repeat(len));
            cases.push(format!("0{}", "1".repeat(len)));
        }
        for c in &cases {
            let float = c.parse::<f64>().map(number_text).ok();
            match integer_text(c) {
                Some(t) => assert_eq!(Some(t), float, "{c}"),
                None => assert!(c.len() > 15, "{c} declined"),
            }
        }
        for c in ["", "-1", "1.5", "1e3", "+1", " 1", "１"] {
            assert_eq!(integer_text(c), None, "{c}");
        }
    }
}
