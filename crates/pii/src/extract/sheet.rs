//! Spreadsheets via calamine (xlsx/xlsm first through the faster [`super::xlsx`] reader): xlsx/xlsm/xlsb/ods from a zip, xls from an OLE compound file.
//! Every sheet becomes a [`Table`] grid. An OLE file holding an `EncryptedPackage` stream is a
//! password-protected OOXML document; an xls/ods with a password record is reported likewise.

use super::{Block, ExtractLimits, NotInspected, NotInspectedReason as R, Table};
use calamine::{Data, Reader};
use std::io::Cursor;

/// Cell text: integral floats without `.0` (phone and My Number columns are often numeric),
/// Excel date serials as ISO dates.
fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => serial_to_date(dt.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// A number as text: integral values without `.0`.
pub(super) fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e19 {
        format!("{f:.0}")
    } else {
        f.to_string()
    }
}

/// An Excel (1900 system) date serial as an ISO date.
pub(super) fn serial_to_date(serial: f64) -> String {
    let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30);
    match base.and_then(|b| b.checked_add_days(chrono::Days::new(serial.max(0.0) as u64))) {
        Some(d) => d.to_string(),
        None => serial.to_string(),
    }
}

fn sheets_to_blocks<RS, Rd>(path: &str, wb: &mut Rd) -> Result<Vec<Block>, NotInspected>
where
    RS: std::io::Read + std::io::Seek,
    Rd: Reader<RS>,
    Rd::Error: std::fmt::Display,
{
    let mut blocks = Vec::new();
    for name in wb.sheet_names() {
        let range = wb
            .worksheet_range(&name)
            .map_err(|e| NotInspected::new(path, R::Corrupt, format!("sheet {name}: {e}")))?;
        let rows = range
            .rows()
            .map(|r| r.iter().map(cell_text).collect())
            .collect();
        blocks.push(Block::Table(Table { label: name, rows }));
    }
    Ok(blocks)
}

/// xlsx/xlsm through the streaming reader ([`super::xlsx`]), calamine when that reader gives
/// up; xlsb and ods through calamine.
pub(super) fn extract_zip_workbook(
    path: &str,
    bytes: &[u8],
    zip: &mut super::member::Archive<'_>,
    limits: &ExtractLimits,
    xlsb: bool,
) -> Result<Vec<Block>, NotInspected> {
    if !xlsb && zip.index_for_name("xl/workbook.xml").is_some() {
        match super::xlsx::read_workbook(path, zip, limits) {
            Ok(blocks) => return Ok(blocks),
            Err(why) => tracing::debug!(path, reason = %why.0, "xlsx reader fell back to calamine"),
        }
    }
    calamine_workbook(path, bytes, xlsb)
}

/// A zip workbook through calamine (xlsb, or xlsx and then ods).
pub(super) fn calamine_workbook(
    path: &str,
    bytes: &[u8],
    xlsb: bool,
) -> Result<Vec<Block>, NotInspected> {
    let cur = Cursor::new(bytes);
    if xlsb {
        let mut wb: calamine::Xlsb<_> = calamine::open_workbook_from_rs(cur)
            .map_err(|e| NotInspected::new(path, R::Corrupt, format!("xlsb: {e}")))?;
        return sheets_to_blocks(path, &mut wb);
    }
    match calamine::open_workbook_from_rs::<calamine::Xlsx<_>, _>(cur.clone()) {
        Ok(mut wb) => sheets_to_blocks(path, &mut wb),
        Err(xe) => match calamine::open_workbook_from_rs::<calamine::Ods<_>, _>(cur) {
            Ok(mut wb) => sheets_to_blocks(path, &mut wb),
            Err(calamine::OdsError::Password) => {
                Err(NotInspected::new(path, R::EncryptedOffice, "ods password"))
            }
            Err(_) => Err(NotInspected::new(path, R::Corrupt, format!("xlsx: {xe}"))),
        },
    }
}

/// OLE compound files: encrypted OOXML, xls, or legacy binary Word/PowerPoint.
pub(super) fn extract_cfb(path: &str, ext: &str, bytes: &[u8]) -> Result<Vec<Block>, NotInspected> {
    let utf16 = |s: &str| {
        s.encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect::<Vec<u8>>()
    };
    let contains = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    if contains(&utf16("EncryptedPackage")) {
        return Err(NotInspected::new(
            path,
            R::EncryptedOffice,
            "OLE file with EncryptedPackage stream",
        ));
    }
    if matches!(ext, "doc" | "ppt" | "msg")
        || contains(&utf16("WordDocument"))
        || contains(&utf16("PowerPoint Document"))
    {
        return Err(NotInspected::new(
            path,
            R::UnsupportedFormat,
            "legacy binary Word/PowerPoint/Outlook file",
        ));
    }
    match calamine::open_workbook_from_rs::<calamine::Xls<_>, _>(Cursor::new(bytes)) {
        Ok(mut wb) => sheets_to_blocks(path, &mut wb),
        Err(calamine::XlsError::Password) => Err(NotInspected::new(
            path,
            R::EncryptedOffice,
            "xls FILEPASS record",
        )),
        Err(e) => Err(NotInspected::new(path, R::Corrupt, format!("xls: {e}"))),
    }
}
