//! LTP layer of the PST writer (MS-PST §2.3): heap-on-node, BTree-on-heap, property contexts
//! and table contexts.
//!
//! A node's heap is built in memory (one node at a time: a message's properties, a folder's
//! table), then cut into pages of at most one block each and handed to the NDB layer. Values
//! over 3,580 bytes — the largest heap allocation — go to subnodes as data trees, as the
//! specification requires; their subnode entries are returned to the caller, which writes the
//! owning node's subnode tree.

use crate::error::Error;
use crate::pst::ndb::{MAX_BLOCK_DATA, Ndb, SubNode};

/// Largest heap allocation (MS-PST §2.3.1.1).
const MAX_HEAP_ALLOC: usize = 3580;
/// NID type of subnodes holding large values (`NID_TYPE_LTP`).
const NID_TYPE_LTP: u32 = 0x1F;

pub(super) const PT_I32: u16 = 0x0003;
pub(super) const PT_BOOL: u16 = 0x000B;
pub(super) const PT_UNICODE: u16 = 0x001F;
pub(super) const PT_TIME: u16 = 0x0040;
pub(super) const PT_BINARY: u16 = 0x0102;

const PID_LTP_ROW_ID: u16 = 0x67F2;
const PID_LTP_ROW_VER: u16 = 0x67F3;

/// One property value, borrowed from the caller where it is large.
#[derive(Debug, Clone)]
pub(super) enum Value<'a> {
    I32(i32),
    Bool(bool),
    /// FILETIME: 100 ns ticks since 1601-01-01 UTC.
    Time(i64),
    Unicode(&'a str),
    Binary(&'a [u8]),
}

impl Value<'_> {
    fn prop_type(&self) -> u16 {
        match self {
            Value::I32(_) => PT_I32,
            Value::Bool(_) => PT_BOOL,
            Value::Time(_) => PT_TIME,
            Value::Unicode(_) => PT_UNICODE,
            Value::Binary(_) => PT_BINARY,
        }
    }
}

/// Hands out subnode NIDs for large values and collects their entries.
#[derive(Debug, Default)]
pub(super) struct SubNodes {
    pub entries: Vec<SubNode>,
    next: u32,
}

impl SubNodes {
    /// Stores `bytes` as a data tree in a new subnode and returns its NID.
    fn store(&mut self, ndb: &mut Ndb, bytes: &[u8]) -> Result<u32, Error> {
        let data = ndb.write_stream(bytes)?;
        self.next += 1;
        let nid = ((0x100 + self.next) << 5) | NID_TYPE_LTP;
        self.entries.push(SubNode { nid, data, sub: 0 });
        Ok(nid)
    }
}

#[derive(Debug, Default)]
struct HeapPage {
    data: Vec<u8>,
    /// End offset (within `data`) of each allocation.
    ends: Vec<usize>,
}

/// A heap-on-node under construction.
struct Heap {
    client_sig: u8,
    pages: Vec<HeapPage>,
}

fn header_len(page: usize) -> usize {
    match page {
        0 => 12,
        p if p % 128 == 8 => 66,
        _ => 2,
    }
}

fn fill_level(free: usize) -> u8 {
    const LIMITS: [usize; 15] = [
        3584, 2560, 2048, 1792, 1536, 1280, 1024, 768, 512, 256, 128, 64, 32, 16, 8,
    ];
    LIMITS
        .iter()
        .position(|l| free >= *l)
        .map(|p| p as u8)
        .unwrap_or(15)
}

impl Heap {
    fn new(client_sig: u8) -> Self {
        Heap {
            client_sig,
            pages: vec![HeapPage::default()],
        }
    }

    fn page_size(index: usize, data: usize, allocs: usize) -> usize {
        (header_len(index) + data).div_ceil(2) * 2 + 4 + 2 * (allocs + 1)
    }

    /// Allocates `bytes` (at most 3,580) and returns the HID.
    fn alloc(&mut self, bytes: &[u8]) -> Result<u32, Error> {
        let last = self.pages.len() - 1;
        let fits = {
            let p = &self.pages[last];
            p.ends.len() < 2047
                && Self::page_size(last, p.data.len() + bytes.len(), p.ends.len() + 1)
                    <= MAX_BLOCK_DATA
        };
        if !fits {
            self.pages.push(HeapPage::default());
        }
        let index = self.pages.len() - 1;
        if index > 0xFFFF {
            return Err(Error::Pst("heap over 65,536 pages".into()));
        }
        let page = &mut self.pages[index];
        page.data.extend_from_slice(bytes);
        page.ends.push(page.data.len());
        Ok(((page.ends.len() as u32) << 5) | ((index as u32) << 16))
    }

    /// Serializes the pages (HNHDR / HNPAGEHDR / HNBITMAPHDR, data, HNPAGEMAP).
    fn into_pages(self, user_root: u32) -> Vec<Vec<u8>> {
        let sizes: Vec<usize> = self
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| Self::page_size(i, p.data.len(), p.ends.len()))
            .collect();
        let levels = |from: usize, count: usize| -> Vec<u8> {
            (0..count)
                .step_by(2)
                .map(|j| {
                    let lv = |k: usize| {
                        sizes
                            .get(from + k)
                            .map(|s| fill_level(MAX_BLOCK_DATA - s))
                            .unwrap_or(0)
                    };
                    lv(j) | (lv(j + 1) << 4)
                })
                .collect()
        };
        let mut out = Vec::with_capacity(self.pages.len());
        for (i, page) in self.pages.into_iter().enumerate() {
            let h = header_len(i);
            let map_at = (h + page.data.len()).div_ceil(2) * 2;
            let mut b = Vec::with_capacity(sizes[i]);
            b.extend_from_slice(&(map_at as u16).to_le_bytes());
            if i == 0 {
                b.push(0xEC);
                b.push(self.client_sig);
                b.extend_from_slice(&user_root.to_le_bytes());
                b.extend_from_slice(&levels(0, 8));
            } else if h == 66 {
                b.extend_from_slice(&levels(i, 128));
            }
            b.extend_from_slice(&page.data);
            b.resize(map_at, 0);
            b.extend_from_slice(&(page.ends.len() as u16).to_le_bytes());
            b.extend_from_slice(&0u16.to_le_bytes());
            b.extend_from_slice(&(h as u16).to_le_bytes());
            for e in &page.ends {
                b.extend_from_slice(&((h + e) as u16).to_le_bytes());
            }
            out.push(b);
        }
        out
    }

    fn write(self, ndb: &mut Ndb, user_root: u32) -> Result<u64, Error> {
        let pages = self.into_pages(user_root);
        let chunks: Vec<&[u8]> = pages.iter().map(Vec::as_slice).collect();
        ndb.write_chunks(&chunks)
    }
}

/// Builds a BTree-on-heap over `records` (key + data, sorted by key) and returns the HID of
/// its BTHHEADER.
fn bth(heap: &mut Heap, key_size: u8, entry_size: u8, records: &[Vec<u8>]) -> Result<u32, Error> {
    let mut levels = 0u8;
    let mut root = 0u32;
    if !records.is_empty() {
        let rec = usize::from(key_size) + usize::from(entry_size);
        let mut items: Vec<(Vec<u8>, u32)> = Vec::new();
        for group in records.chunks(MAX_HEAP_ALLOC / rec) {
            let bytes: Vec<u8> = group.concat();
            items.push((
                group[0][..usize::from(key_size)].to_vec(),
                heap.alloc(&bytes)?,
            ));
        }
        while items.len() > 1 {
            let per = MAX_HEAP_ALLOC / (usize::from(key_size) + 4);
            let mut next = Vec::new();
            for group in items.chunks(per) {
                let mut bytes = Vec::new();
                for (k, hid) in group {
                    bytes.extend_from_slice(k);
                    bytes.extend_from_slice(&hid.to_le_bytes());
                }
                next.push((group[0].0.clone(), heap.alloc(&bytes)?));
            }
            items = next;
            levels += 1;
        }
        root = items[0].1;
    }
    let mut header = vec![0xB5, key_size, entry_size, levels];
    header.extend_from_slice(&root.to_le_bytes());
    heap.alloc(&header)
}

/// Encodes a variable-size or 8-byte value: into the heap, or into a subnode when large.
/// Returns the HNID; `None` for an empty string or binary (nothing allocated).
fn store_value(
    heap: &mut Heap,
    ndb: &mut Ndb,
    subs: &mut SubNodes,
    v: &Value<'_>,
) -> Result<Option<u32>, Error> {
    let bytes: Vec<u8> = match v {
        Value::I32(i) => return Ok(Some(*i as u32)),
        Value::Bool(b) => return Ok(Some(u32::from(*b))),
        Value::Time(t) => t.to_le_bytes().to_vec(),
        Value::Unicode(s) => s.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        Value::Binary(b) if b.len() > MAX_HEAP_ALLOC => return subs.store(ndb, b).map(Some),
        Value::Binary(b) => b.to_vec(),
    };
    if bytes.is_empty() {
        Ok(None)
    } else if bytes.len() > MAX_HEAP_ALLOC {
        subs.store(ndb, &bytes).map(Some)
    } else {
        heap.alloc(&bytes).map(Some)
    }
}

/// Writes a property context and returns its data BID; large values land in `subs`.
pub(super) fn write_pc(
    ndb: &mut Ndb,
    props: &mut [(u16, Value<'_>)],
    subs: &mut SubNodes,
) -> Result<u64, Error> {
    props.sort_by_key(|p| p.0);
    let mut heap = Heap::new(0xBC);
    let mut records = Vec::with_capacity(props.len());
    for (id, v) in props.iter() {
        // an empty string or binary is present with HNID 0 (no heap allocation)
        let hnid = store_value(&mut heap, ndb, subs, v)?.unwrap_or(0);
        let mut r = Vec::with_capacity(8);
        r.extend_from_slice(&id.to_le_bytes());
        r.extend_from_slice(&v.prop_type().to_le_bytes());
        r.extend_from_slice(&hnid.to_le_bytes());
        records.push(r);
    }
    let root = bth(&mut heap, 2, 6, &records)?;
    heap.write(ndb, root)
}

/// One table row: its row id and one value (or none) per column.
pub(super) struct Row<'a> {
    pub id: u32,
    pub values: Vec<Option<Value<'a>>>,
}

fn cell_size(ty: u16) -> usize {
    match ty {
        PT_TIME => 8,
        PT_BOOL => 1,
        _ => 4,
    }
}

/// Writes a table context with `columns` (id, type) and `rows`; returns its data BID.
pub(super) fn write_tc(
    ndb: &mut Ndb,
    columns: &[(u16, u16)],
    rows: &[Row<'_>],
    subs: &mut SubNodes,
) -> Result<u64, Error> {
    // (id, type, offset, size, bit): row id and version first, then by size, 8 → 4 → 1
    let mut layout: Vec<(u16, u16, usize, usize, usize)> = vec![
        (PID_LTP_ROW_ID, PT_I32, 0, 4, 0),
        (PID_LTP_ROW_VER, PT_I32, 4, 4, 1),
    ];
    let mut offset = 8;
    for want in [8, 4, 1] {
        for (i, (id, ty)) in columns.iter().enumerate() {
            if cell_size(*ty) == want {
                layout.push((*id, *ty, offset, want, i + 2));
                offset += want;
            }
        }
    }
    let end4 = 8 + columns
        .iter()
        .map(|c| cell_size(c.1))
        .filter(|s| *s >= 4)
        .sum::<usize>();
    let end2 = end4;
    let end1 = offset;
    let ceb = (columns.len() + 2).div_ceil(8);
    let row_size = end1 + ceb;

    let mut heap = Heap::new(0x7C);
    let mut matrix = Vec::with_capacity(rows.len() * row_size);
    for (index, row) in rows.iter().enumerate() {
        let mut r = vec![0u8; row_size];
        r[0..4].copy_from_slice(&row.id.to_le_bytes());
        r[4..8].copy_from_slice(&(index as u32).to_le_bytes());
        let mut bits = vec![0u8; ceb];
        bits[0] = 0xC0; // row id and row version are always present
        for (id, ty, off, size, bit) in layout.iter().skip(2) {
            let Some(Some(v)) = row.values.get(bit - 2) else {
                continue;
            };
            debug_assert_eq!(v.prop_type(), *ty, "column {id:#06x}");
            let cell: Vec<u8> = match v {
                Value::Time(t) => t.to_le_bytes().to_vec(),
                Value::Bool(b) => vec![u8::from(*b)],
                other => match store_value(&mut heap, ndb, subs, other)? {
                    Some(h) => h.to_le_bytes().to_vec(),
                    None => continue,
                },
            };
            r[*off..off + size].copy_from_slice(&cell[..*size]);
            bits[bit / 8] |= 0x80 >> (bit % 8);
        }
        r[end1..].copy_from_slice(&bits);
        matrix.extend_from_slice(&r);
    }
    let rows_hnid = if matrix.is_empty() {
        0
    } else if matrix.len() <= MAX_HEAP_ALLOC {
        heap.alloc(&matrix)?
    } else {
        let per_block = MAX_BLOCK_DATA / row_size * row_size;
        let chunks: Vec<&[u8]> = matrix.chunks(per_block).collect();
        let data = ndb.write_chunks(&chunks)?;
        subs.next += 1;
        let nid = ((0x100 + subs.next) << 5) | NID_TYPE_LTP;
        subs.entries.push(SubNode { nid, data, sub: 0 });
        nid
    };
    let mut index: Vec<(u32, u32)> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id, i as u32))
        .collect();
    index.sort();
    let records: Vec<Vec<u8>> = index
        .iter()
        .map(|(id, i)| [id.to_le_bytes(), i.to_le_bytes()].concat())
        .collect();
    let row_index = bth(&mut heap, 4, 4, &records)?;

    layout.sort_by_key(|c| (u32::from(c.0) << 16) | u32::from(c.1));
    let mut info = vec![0x7C, layout.len() as u8];
    for v in [end4, end2, end1, row_size] {
        info.extend_from_slice(&(v as u16).to_le_bytes());
    }
    info.extend_from_slice(&row_index.to_le_bytes());
    info.extend_from_slice(&rows_hnid.to_le_bytes());
    info.extend_from_slice(&0u32.to_le_bytes());
    for (id, ty, off, size, bit) in &layout {
        let tag = (u32::from(*id) << 16) | u32::from(*ty);
        info.extend_from_slice(&tag.to_le_bytes());
        info.extend_from_slice(&(*off as u16).to_le_bytes());
        info.push(*size as u8);
        info.push(*bit as u8);
    }
    let root = heap.alloc(&info)?;
    heap.write(ndb, root)
}
