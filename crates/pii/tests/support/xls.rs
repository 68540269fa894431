//! A minimal Excel 97–2003 (.xls, BIFF8) workbook writer for tests, written for this project
//! from the public [MS-XLS] record descriptions; the compound-file container comes from the
//! `cfb` crate ([MS-CFB]).
//!
//! Layout of the `Workbook` stream: the globals substream (BOF dt=0x0005, CodePage 1200,
//! one BoundSheet8 per sheet pointing at its BOF, the shared string table SST, EOF), then per
//! sheet a worksheet substream (BOF dt=0x0010, Dimensions, one LabelSst or Number record per
//! cell, EOF). Records are `type: u16, size: u16, data`; a record body is at most 8,224 bytes,
//! longer SST data goes on in Continue (0x003C) records, split here only at string
//! boundaries so no string needs its flags byte repeated.

use pii::evalgen::formats::SheetCell;
use std::io::{Cursor, Write};

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const CODEPAGE: u16 = 0x0042;
const BOUNDSHEET8: u16 = 0x0085;
const SST: u16 = 0x00FC;
const CONTINUE: u16 = 0x003C;
const DIMENSIONS: u16 = 0x0200;
const LABELSST: u16 = 0x00FD;
const NUMBER: u16 = 0x0203;
const MAX_RECORD: usize = 8224;

fn record(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
    out.extend_from_slice(&typ.to_le_bytes());
    out.extend_from_slice(&(data.len() as u16).to_le_bytes());
    out.extend_from_slice(data);
}

/// BOF ([MS-XLS] 2.4.21): vers 0x0600 (BIFF8), dt, rupBuild, rupYear, two u32 flag words.
fn bof(dt: u16) -> Vec<u8> {
    let mut d = Vec::new();
    d.extend_from_slice(&0x0600u16.to_le_bytes());
    d.extend_from_slice(&dt.to_le_bytes());
    d.extend_from_slice(&0x0DBBu16.to_le_bytes());
    d.extend_from_slice(&0x07CCu16.to_le_bytes());
    d.extend_from_slice(&0u32.to_le_bytes());
    d.extend_from_slice(&0x0006u32.to_le_bytes());
    d
}

/// XLUnicodeRichExtendedString without rich text or phonetic parts: cch, flags (fHighByte=1),
/// UTF-16LE characters.
fn unicode_string(s: &str) -> Vec<u8> {
    let units: Vec<u16> = s.encode_utf16().collect();
    let mut d = Vec::with_capacity(3 + 2 * units.len());
    d.extend_from_slice(&(units.len() as u16).to_le_bytes());
    d.push(0x01);
    for u in units {
        d.extend_from_slice(&u.to_le_bytes());
    }
    d
}

/// The `Workbook` stream for `sheets`.
pub fn workbook_stream(sheets: &[(&str, Vec<Vec<SheetCell>>)]) -> Vec<u8> {
    // Shared strings: every text cell, de-duplicated.
    let mut strings: Vec<&str> = Vec::new();
    let mut total = 0u32;
    for (_, rows) in sheets {
        for c in rows.iter().flatten() {
            if let SheetCell::Text(t) = c {
                total += 1;
                if !strings.contains(&t.as_str()) {
                    strings.push(t);
                }
            }
        }
    }
    let isst = |t: &str| strings.iter().position(|s| *s == t).unwrap_or(0) as u32;

    // Worksheet substreams first (their offsets are needed by BoundSheet8).
    let mut sheet_streams = Vec::new();
    for (_, rows) in sheets {
        let mut s = Vec::new();
        record(&mut s, BOF, &bof(0x0010));
        let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut dim = Vec::new();
        dim.extend_from_slice(&0u32.to_le_bytes());
        dim.extend_from_slice(&(rows.len() as u32).to_le_bytes());
        dim.extend_from_slice(&0u16.to_le_bytes());
        dim.extend_from_slice(&(cols as u16).to_le_bytes());
        dim.extend_from_slice(&0u16.to_le_bytes());
        record(&mut s, DIMENSIONS, &dim);
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let mut d = Vec::new();
                d.extend_from_slice(&(r as u16).to_le_bytes());
                d.extend_from_slice(&(c as u16).to_le_bytes());
                d.extend_from_slice(&0u16.to_le_bytes()); // ixfe: the default cell format
                match cell {
                    SheetCell::Text(t) => {
                        d.extend_from_slice(&isst(t).to_le_bytes());
                        record(&mut s, LABELSST, &d);
                    }
                    SheetCell::Number(v) => {
                        d.extend_from_slice(&v.to_le_bytes());
                        record(&mut s, NUMBER, &d);
                    }
                    SheetCell::Date(_) | SheetCell::Empty => {}
                }
            }
        }
        record(&mut s, EOF, &[]);
        sheet_streams.push(s);
    }

    // Globals: BOF, CodePage, BoundSheet8 × n, SST (+ Continue), EOF.
    let mut sst_records: Vec<(u16, Vec<u8>)> = Vec::new();
    let mut cur = Vec::new();
    cur.extend_from_slice(&total.to_le_bytes());
    cur.extend_from_slice(&(strings.len() as u32).to_le_bytes());
    let mut typ = SST;
    for s in &strings {
        let enc = unicode_string(s);
        if cur.len() + enc.len() > MAX_RECORD {
            sst_records.push((typ, std::mem::take(&mut cur)));
            typ = CONTINUE;
        }
        cur.extend_from_slice(&enc);
    }
    sst_records.push((typ, cur));

    let boundsheet = |pos: u32, name: &str| {
        let units: Vec<u16> = name.encode_utf16().collect();
        let mut d = Vec::new();
        d.extend_from_slice(&pos.to_le_bytes());
        d.push(0); // hsState: visible
        d.push(0); // dt: worksheet
        d.push(units.len() as u8);
        d.push(0x01); // fHighByte
        for u in units {
            d.extend_from_slice(&u.to_le_bytes());
        }
        d
    };
    // Globals length does not depend on the offsets' values: compute it with zeros first.
    let globals = |offsets: &[u32]| {
        let mut g = Vec::new();
        record(&mut g, BOF, &bof(0x0005));
        record(&mut g, CODEPAGE, &1200u16.to_le_bytes());
        for ((name, _), pos) in sheets.iter().zip(offsets) {
            record(&mut g, BOUNDSHEET8, &boundsheet(*pos, name));
        }
        for (t, d) in &sst_records {
            record(&mut g, *t, d);
        }
        record(&mut g, EOF, &[]);
        g
    };
    let glen = globals(&vec![0; sheets.len()]).len();
    let mut offsets = Vec::new();
    let mut pos = glen;
    for s in &sheet_streams {
        offsets.push(pos as u32);
        pos += s.len();
    }
    let mut out = globals(&offsets);
    for s in sheet_streams {
        out.extend_from_slice(&s);
    }
    out
}

/// An .xls file (compound file with a `Workbook` stream). Text and number cells; a date is
/// written as text (`YYYY/MM/DD`), as hand-made sheets often hold dates (a date *number*
/// would need an XF record with a date format).
pub fn xls(sheets: &[(&str, Vec<Vec<SheetCell>>)]) -> Vec<u8> {
    let as_text: Vec<(&str, Vec<Vec<SheetCell>>)> = sheets
        .iter()
        .map(|(name, rows)| {
            let rows = rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|c| match c {
                            SheetCell::Date(d) => SheetCell::Text(d.format("%Y/%m/%d").to_string()),
                            other => other.clone(),
                        })
                        .collect()
                })
                .collect();
            (*name, rows)
        })
        .collect();
    let stream = workbook_stream(&as_text);
    // Version 3 (512-byte sectors) is what Excel 97–2003 writes.
    let mut cf = cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new()))
        .expect("cfb create");
    {
        let mut s = cf.create_stream("/Workbook").expect("cfb stream");
        s.write_all(&stream).expect("cfb write");
    }
    cf.flush().expect("cfb flush");
    cf.into_inner().into_inner()
}

/// Record types of a BIFF stream, in order (for tests that check the layout).
pub fn record_types(stream: &[u8]) -> Vec<u16> {
    let mut out = Vec::new();
    let mut i = 0;
    while i + 4 <= stream.len() {
        let typ = u16::from_le_bytes([stream[i], stream[i + 1]]);
        let len = u16::from_le_bytes([stream[i + 2], stream[i + 3]]) as usize;
        out.push(typ);
        i += 4 + len;
    }
    out
}
