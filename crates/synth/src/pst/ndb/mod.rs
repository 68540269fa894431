//! NDB layer of the PST writer (MS-PST §2.2): file layout, blocks, data trees, subnode trees,
//! allocation maps, the two B-trees and the header.
//!
//! The file is written front to back. Every block is appended where the allocator puts it
//! (64-byte units that never straddle the allocation-map pages at the start of each 253,952-byte
//! interval); when the allocator leaves an interval, that interval's AMap and PMap pages are
//! written back in place. Only the B-tree entries (24 bytes per block, 32 per node) and one byte
//! per AMap interval (for the FMap) stay in memory; the B-tree pages, the FMap pages, the density
//! list and the header are written by [`Ndb::finish`].

use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::error::Error;

mod finish;
#[cfg(test)]
mod tests;

/// Payload bytes one block can hold (8192 minus the 16-byte trailer).
pub(super) const MAX_BLOCK_DATA: usize = 8176;
const PAGE: u64 = 512;
const DLIST_OFFSET: u64 = 0x4200;
const AMAP_FIRST: u64 = 0x4400;
/// Bytes mapped by one AMap page: 496 bytes × 8 bits × 64 bytes.
const AMAP_COVER: u64 = 253_952;
const MAP_BYTES: usize = 496;
/// BIDs in one XBLOCK / XXBLOCK: (8176 − 8-byte header) / 8.
const XBLOCK_ENTRIES: usize = 1021;
/// SLENTRYs in one SLBLOCK: (8176 − 8) / 24.
const SL_ENTRIES: usize = 340;
/// SIENTRYs in one SIBLOCK: (8176 − 8) / 16.
const SI_ENTRIES: usize = 510;

const PTYPE_BBT: u8 = 0x80;
const PTYPE_NBT: u8 = 0x81;
const PTYPE_FMAP: u8 = 0x82;
const PTYPE_PMAP: u8 = 0x83;
const PTYPE_AMAP: u8 = 0x84;
const PTYPE_FPMAP: u8 = 0x85;
const PTYPE_DLIST: u8 = 0x86;

/// One entry of a subnode tree (SLENTRY): a subnode of a node, with its own subnodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct SubNode {
    pub nid: u32,
    pub data: u64,
    pub sub: u64,
}

#[derive(Debug, Clone, Copy)]
struct BbtEntry {
    bid: u64,
    ib: u64,
    cb: u16,
}

#[derive(Debug, Clone, Copy)]
struct NbtEntry {
    nid: u32,
    data: u64,
    sub: u64,
    parent: u32,
}

/// The node database being written.
pub(super) struct Ndb {
    out: BufWriter<File>,
    path: PathBuf,
    /// Bytes written so far (the next free offset before alignment).
    pos: u64,
    next_block: u64,
    next_page: u64,
    bbt: Vec<BbtEntry>,
    nbt: Vec<NbtEntry>,
    /// Index of the AMap interval currently being filled, and its bits.
    amap_index: u64,
    amap_bits: [u8; MAP_BYTES],
    /// Longest free run (in 64-byte units, capped at 255) of every finished interval.
    free_runs: Vec<u8>,
    free_bytes: u64,
}

/// The PST CRC (MS-PST §5.3): the reflected 0xEDB88320 CRC-32 with no pre- or post-inversion.
pub(super) fn crc(data: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut t = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut c = i as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
                k += 1;
            }
            t[i] = c;
            i += 1;
        }
        t
    };
    let mut c = 0u32;
    for &b in data {
        c = TABLE[((c ^ u32::from(b)) & 0xFF) as usize] ^ (c >> 8);
    }
    c
}

/// The block/page signature (MS-PST §5.5).
fn signature(ib: u64, bid: u64) -> u16 {
    let v = ib ^ bid;
    ((v >> 16) as u16) ^ (v as u16)
}

fn has_pmap(k: u64) -> bool {
    k.is_multiple_of(8)
}
fn has_fmap(k: u64) -> bool {
    k >= 128 && (k - 128).is_multiple_of(496)
}
fn has_fpmap(k: u64) -> bool {
    k >= 8192 && (k - 8192).is_multiple_of(496 * 64)
}
/// Bytes at the start of interval `k` taken by its map pages.
/// An FPMap always sits in the fourth page of its interval (after AMap, PMap and FMap slots).
fn reserved(k: u64) -> u64 {
    if has_fpmap(k) {
        4 * PAGE
    } else {
        PAGE * (1 + u64::from(has_pmap(k)) + u64::from(has_fmap(k)))
    }
}
fn interval_start(k: u64) -> u64 {
    AMAP_FIRST + k * AMAP_COVER
}

/// A 512-byte page: 496 bytes of content and the trailer.
fn page_bytes(content: &[u8], ptype: u8, sig: u16, bid: u64) -> [u8; 512] {
    let mut p = [0u8; 512];
    let n = content.len().min(MAP_BYTES);
    p[..n].copy_from_slice(&content[..n]);
    let c = crc(&p[..MAP_BYTES]);
    p[496] = ptype;
    p[497] = ptype;
    p[498..500].copy_from_slice(&sig.to_le_bytes());
    p[500..504].copy_from_slice(&c.to_le_bytes());
    p[504..512].copy_from_slice(&bid.to_le_bytes());
    p
}

fn longest_zero_run(bits: &[u8; MAP_BYTES]) -> (u8, u64) {
    let (mut best, mut run, mut zeros) = (0u64, 0u64, 0u64);
    for byte in bits {
        for i in 0..8 {
            if byte & (0x80 >> i) == 0 {
                run += 1;
                zeros += 1;
                best = best.max(run);
            } else {
                run = 0;
            }
        }
    }
    (best.min(255) as u8, zeros * 64)
}

impl Ndb {
    /// Creates the file and reserves the header, density list and first map pages.
    pub(super) fn create(path: &Path) -> Result<Self, Error> {
        let file = File::create(path).map_err(|e| Error::io(path, e))?;
        let mut ndb = Ndb {
            out: BufWriter::with_capacity(1 << 20, file),
            path: path.to_path_buf(),
            pos: 0,
            next_block: 1,
            next_page: 1,
            bbt: Vec::new(),
            nbt: Vec::new(),
            amap_index: 0,
            amap_bits: [0; MAP_BYTES],
            free_runs: Vec::new(),
            free_bytes: 0,
        };
        ndb.zero_fill(AMAP_FIRST + reserved(0))?;
        Ok(ndb)
    }

    /// Bytes written so far.
    pub(super) fn bytes_written(&self) -> u64 {
        self.pos
    }

    fn io(&self, e: std::io::Error) -> Error {
        Error::io(&self.path, e)
    }

    fn zero_fill(&mut self, to: u64) -> Result<(), Error> {
        const ZEROS: [u8; 4096] = [0; 4096];
        while self.pos < to {
            let n = ((to - self.pos) as usize).min(ZEROS.len());
            self.out.write_all(&ZEROS[..n]).map_err(|e| self.io(e))?;
            self.pos += n as u64;
        }
        Ok(())
    }

    /// Finds room for `size` bytes aligned to `align`, fills any gap with zeros, marks the
    /// space in the AMap and returns its offset; the caller writes exactly `size` bytes next.
    fn allocate(&mut self, size: u64, align: u64) -> Result<u64, Error> {
        let mut p = self.pos.div_ceil(align) * align;
        loop {
            let k = (p - AMAP_FIRST) / AMAP_COVER;
            let start = interval_start(k);
            if p < start + reserved(k) {
                p = start + reserved(k);
            } else if p + size > start + AMAP_COVER {
                p = start + AMAP_COVER;
            } else {
                break;
            }
        }
        let k = (p - AMAP_FIRST) / AMAP_COVER;
        while self.amap_index < k {
            self.zero_fill(interval_start(self.amap_index + 1))?;
            self.close_interval()?;
        }
        self.zero_fill(p)?;
        let first = (p - interval_start(k)) / 64;
        for unit in first..first + size.div_ceil(64) {
            self.amap_bits[(unit / 8) as usize] |= 0x80 >> (unit % 8);
        }
        Ok(p)
    }

    fn write_at_pos(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.out.write_all(bytes).map_err(|e| self.io(e))?;
        self.pos += bytes.len() as u64;
        Ok(())
    }

    /// Writes the map pages of the current interval in place and starts the next one.
    fn close_interval(&mut self) -> Result<(), Error> {
        let k = self.amap_index;
        let start = interval_start(k);
        let pages = reserved(k) / PAGE;
        for i in 0..pages as usize {
            self.amap_bits[i] = 0xFF;
        }
        let (run, free) = longest_zero_run(&self.amap_bits);
        self.free_runs.push(run);
        self.free_bytes += free;
        let amap = page_bytes(&self.amap_bits, PTYPE_AMAP, 0, start);
        self.write_page_at(start, &amap)?;
        if has_pmap(k) {
            let pmap = page_bytes(&[0xFF; MAP_BYTES], PTYPE_PMAP, 0, start + PAGE);
            self.write_page_at(start + PAGE, &pmap)?;
        }
        if has_fpmap(k) {
            // the FPMap is deprecated; like the PMap it is kept present, all pages marked used
            let at = start + 3 * PAGE;
            let fpmap = page_bytes(&[0xFF; MAP_BYTES], PTYPE_FPMAP, 0, at);
            self.write_page_at(at, &fpmap)?;
        }
        // FMap pages are written by `finish`, once the intervals they cover are known
        self.amap_index += 1;
        self.amap_bits = [0; MAP_BYTES];
        Ok(())
    }

    fn write_page_at(&mut self, ib: u64, page: &[u8]) -> Result<(), Error> {
        let end = self.pos;
        self.out.seek(SeekFrom::Start(ib)).map_err(|e| self.io(e))?;
        self.out.write_all(page).map_err(|e| self.io(e))?;
        self.out
            .seek(SeekFrom::Start(end))
            .map_err(|e| self.io(e))?;
        Ok(())
    }

    fn new_bid(&mut self, internal: bool) -> u64 {
        let bid = (self.next_block << 2) | if internal { 2 } else { 0 };
        self.next_block += 1;
        bid
    }

    fn new_page_id(&mut self) -> u64 {
        let bid = self.next_page << 2;
        self.next_page += 1;
        bid
    }

    /// Writes one block (at most [`MAX_BLOCK_DATA`] bytes) and returns its BID.
    pub(super) fn write_block(&mut self, data: &[u8], internal: bool) -> Result<u64, Error> {
        let cb = u16::try_from(data.len())
            .ok()
            .filter(|n| (1..=MAX_BLOCK_DATA as u16).contains(n))
            .ok_or_else(|| Error::Pst(format!("block of {} bytes", data.len())))?;
        let total = (data.len() as u64 + 16).div_ceil(64) * 64;
        let bid = self.new_bid(internal);
        let ib = self.allocate(total, 64)?;
        let mut block = Vec::with_capacity(total as usize);
        block.extend_from_slice(data);
        block.resize(total as usize - 16, 0);
        block.extend_from_slice(&cb.to_le_bytes());
        block.extend_from_slice(&signature(ib, bid).to_le_bytes());
        block.extend_from_slice(&crc(data).to_le_bytes());
        block.extend_from_slice(&bid.to_le_bytes());
        self.write_at_pos(&block)?;
        self.bbt.push(BbtEntry { bid, ib, cb });
        Ok(bid)
    }

    /// Writes a byte stream as a data tree: one block, or an XBLOCK (XXBLOCK) over 8,176-byte
    /// blocks. Returns the root BID.
    pub(super) fn write_stream(&mut self, data: &[u8]) -> Result<u64, Error> {
        if data.len() <= MAX_BLOCK_DATA {
            return self.write_block(data, false);
        }
        let chunks: Vec<&[u8]> = data.chunks(MAX_BLOCK_DATA).collect();
        self.write_chunks(&chunks)
    }

    /// Writes pre-cut chunks (heap pages, table row blocks) as one data tree.
    pub(super) fn write_chunks(&mut self, chunks: &[&[u8]]) -> Result<u64, Error> {
        if let [one] = chunks {
            return self.write_block(one, false);
        }
        let total: usize = chunks.iter().map(|c| c.len()).sum();
        let total = u32::try_from(total)
            .map_err(|_| Error::Pst(format!("stream of {total} bytes exceeds 4 GiB")))?;
        let mut leaves = Vec::with_capacity(chunks.len());
        for c in chunks {
            leaves.push((self.write_block(c, false)?, c.len() as u64));
        }
        let mut level = 1u8;
        let mut ids = leaves;
        loop {
            let mut parents = Vec::new();
            for group in ids.chunks(XBLOCK_ENTRIES) {
                let size: u64 = group.iter().map(|g| g.1).sum();
                let mut b = Vec::with_capacity(8 + 8 * group.len());
                b.push(0x01);
                b.push(level);
                b.extend_from_slice(&(group.len() as u16).to_le_bytes());
                b.extend_from_slice(&(size as u32).to_le_bytes());
                for (bid, _) in group {
                    b.extend_from_slice(&bid.to_le_bytes());
                }
                parents.push((self.write_block(&b, true)?, size));
            }
            if let [(root, _)] = parents[..] {
                debug_assert_eq!(u64::from(total), parents[0].1);
                return Ok(root);
            }
            if level == 2 {
                return Err(Error::Pst("data tree deeper than an XXBLOCK".into()));
            }
            ids = parents;
            level += 1;
        }
    }

    /// Writes a subnode tree (SLBLOCK, or SIBLOCK over SLBLOCKs); 0 when there are no subnodes.
    pub(super) fn write_subnodes(&mut self, mut subs: Vec<SubNode>) -> Result<u64, Error> {
        if subs.is_empty() {
            return Ok(0);
        }
        subs.sort();
        let mut leaves = Vec::new();
        for group in subs.chunks(SL_ENTRIES) {
            let mut b = Vec::with_capacity(8 + 24 * group.len());
            b.extend_from_slice(&[0x02, 0x00]);
            b.extend_from_slice(&(group.len() as u16).to_le_bytes());
            b.extend_from_slice(&[0; 4]);
            for s in group {
                b.extend_from_slice(&u64::from(s.nid).to_le_bytes());
                b.extend_from_slice(&s.data.to_le_bytes());
                b.extend_from_slice(&s.sub.to_le_bytes());
            }
            leaves.push((group[0].nid, self.write_block(&b, true)?));
        }
        if let [(_, bid)] = leaves[..] {
            return Ok(bid);
        }
        if leaves.len() > SI_ENTRIES {
            return Err(Error::Pst("more than 173,400 subnodes in one node".into()));
        }
        let mut b = Vec::with_capacity(8 + 16 * leaves.len());
        b.extend_from_slice(&[0x02, 0x01]);
        b.extend_from_slice(&(leaves.len() as u16).to_le_bytes());
        b.extend_from_slice(&[0; 4]);
        for (nid, bid) in &leaves {
            b.extend_from_slice(&u64::from(*nid).to_le_bytes());
            b.extend_from_slice(&bid.to_le_bytes());
        }
        self.write_block(&b, true)
    }

    /// Registers a top-level node in the node B-tree.
    pub(super) fn add_node(&mut self, nid: u32, data: u64, sub: u64, parent: u32) {
        self.nbt.push(NbtEntry {
            nid,
            data,
            sub,
            parent,
        });
    }
}
