//! The end of a PST: the node and block B-trees (MS-PST §2.2.2.7.7), the FMap pages, the
//! density list and the header with its CRCs (§2.2.2.6), written once every block is known.

use std::io::Write;

use super::{
    DLIST_OFFSET, MAP_BYTES, Ndb, PAGE, PTYPE_BBT, PTYPE_DLIST, PTYPE_FMAP, PTYPE_NBT, crc,
    interval_start, page_bytes, signature,
};
use crate::error::Error;

impl Ndb {
    /// Writes one B-tree (leaf entries already serialized, sorted by key) and returns the
    /// root page reference (bid, ib).
    fn write_btree(
        &mut self,
        entries: Vec<(u64, Vec<u8>)>,
        entry_size: usize,
        ptype: u8,
    ) -> Result<(u64, u64), Error> {
        let leaf_max = 488 / entry_size;
        let mut level = 0u8;
        let mut items = entries;
        let mut size = entry_size;
        let mut max = leaf_max;
        loop {
            let mut parents = Vec::new();
            for group in items.chunks(max) {
                let mut content = Vec::with_capacity(496);
                for (_, e) in group {
                    content.extend_from_slice(e);
                }
                content.resize(488, 0);
                content.push(group.len() as u8);
                content.push(max as u8);
                content.push(size as u8);
                content.push(level);
                content.extend_from_slice(&[0; 4]);
                let bid = self.new_page_id();
                let ib = self.allocate(PAGE, PAGE)?;
                let page = page_bytes(&content, ptype, signature(ib, bid), bid);
                self.write_at_pos(&page)?;
                let mut entry = Vec::with_capacity(24);
                entry.extend_from_slice(&group[0].0.to_le_bytes());
                entry.extend_from_slice(&bid.to_le_bytes());
                entry.extend_from_slice(&ib.to_le_bytes());
                parents.push((group[0].0, entry, bid, ib));
            }
            if let [(_, _, bid, ib)] = parents[..] {
                return Ok((bid, ib));
            }
            items = parents.into_iter().map(|(k, e, _, _)| (k, e)).collect();
            level += 1;
            size = 24;
            max = 488 / 24;
        }
    }

    /// Writes the B-trees, map pages, density list and header, and closes the file.
    /// `next_nids` gives, per NID type, the next free NID index (the header's rgnid).
    pub(in crate::pst) fn finish(mut self, next_nids: [u32; 32]) -> Result<u64, Error> {
        let mut nbt = std::mem::take(&mut self.nbt);
        nbt.sort_by_key(|n| n.nid);
        let nbt_entries = nbt
            .iter()
            .map(|n| {
                let mut e = Vec::with_capacity(32);
                e.extend_from_slice(&u64::from(n.nid).to_le_bytes());
                e.extend_from_slice(&n.data.to_le_bytes());
                e.extend_from_slice(&n.sub.to_le_bytes());
                e.extend_from_slice(&n.parent.to_le_bytes());
                e.extend_from_slice(&[0; 4]);
                (u64::from(n.nid), e)
            })
            .collect();
        drop(nbt);
        let nbt_root = self.write_btree(nbt_entries, 32, PTYPE_NBT)?;
        let mut bbt = std::mem::take(&mut self.bbt);
        bbt.sort_by_key(|b| b.bid);
        let bbt_entries = bbt
            .iter()
            .map(|b| {
                let mut e = Vec::with_capacity(24);
                e.extend_from_slice(&b.bid.to_le_bytes());
                e.extend_from_slice(&b.ib.to_le_bytes());
                e.extend_from_slice(&b.cb.to_le_bytes());
                e.extend_from_slice(&1u16.to_le_bytes());
                e.extend_from_slice(&[0; 4]);
                (b.bid, e)
            })
            .collect();
        drop(bbt);
        let bbt_root = self.write_btree(bbt_entries, 24, PTYPE_BBT)?;

        // the file ends on an interval boundary (MS-PST §2.6.1.1.2)
        let last = self.amap_index;
        self.zero_fill(interval_start(last + 1))?;
        self.close_interval()?;
        let eof = self.pos;
        self.write_fmaps()?;
        let dlist_id = self.new_page_id();
        let mut dlist = vec![0x01u8, 0, 0, 0];
        dlist.extend_from_slice(&[0; 4]);
        let dlist = page_bytes(
            &dlist,
            PTYPE_DLIST,
            signature(DLIST_OFFSET, dlist_id),
            dlist_id,
        );
        self.write_page_at(DLIST_OFFSET, &dlist)?;
        let header = self.header(eof, interval_start(last), nbt_root, bbt_root, next_nids);
        self.write_page_at(0, &header)?;
        self.out.flush().map_err(|e| self.io(e))?;
        self.out.get_ref().sync_all().map_err(|e| self.io(e))?;
        Ok(eof)
    }

    fn write_fmaps(&mut self) -> Result<(), Error> {
        let count = self.free_runs.len() as u64;
        let mut k = 128;
        while k < count {
            let from = k as usize;
            let to = (from + MAP_BYTES).min(self.free_runs.len());
            let content = self.free_runs[from..to].to_vec();
            let ib = interval_start(k) + 2 * PAGE;
            let page = page_bytes(&content, PTYPE_FMAP, 0, ib);
            self.write_page_at(ib, &page)?;
            k += MAP_BYTES as u64;
        }
        Ok(())
    }

    fn header(
        &self,
        eof: u64,
        amap_last: u64,
        nbt: (u64, u64),
        bbt: (u64, u64),
        nids: [u32; 32],
    ) -> Vec<u8> {
        let mut h = Vec::with_capacity(564);
        h.extend_from_slice(b"!BDN");
        h.extend_from_slice(&[0; 4]); // dwCRCPartial, set below
        h.extend_from_slice(b"SM");
        h.extend_from_slice(&23u16.to_le_bytes()); // wVer: Unicode
        h.extend_from_slice(&19u16.to_le_bytes()); // wVerClient
        h.extend_from_slice(&[0x01, 0x01]); // bPlatformCreate, bPlatformAccess
        h.extend_from_slice(&[0; 8]); // dwReserved1, dwReserved2
        h.extend_from_slice(&[0; 8]); // bidUnused
        h.extend_from_slice(&(self.next_page << 2).to_le_bytes()); // bidNextP
        h.extend_from_slice(&1u32.to_le_bytes()); // dwUnique
        for n in nids {
            h.extend_from_slice(&n.to_le_bytes());
        }
        h.extend_from_slice(&[0; 8]); // qwUnused
        // ROOT
        h.extend_from_slice(&[0; 4]);
        h.extend_from_slice(&eof.to_le_bytes());
        h.extend_from_slice(&amap_last.to_le_bytes());
        h.extend_from_slice(&self.free_bytes.to_le_bytes());
        h.extend_from_slice(&0u64.to_le_bytes()); // cbPMapFree
        h.extend_from_slice(&nbt.0.to_le_bytes());
        h.extend_from_slice(&nbt.1.to_le_bytes());
        h.extend_from_slice(&bbt.0.to_le_bytes());
        h.extend_from_slice(&bbt.1.to_le_bytes());
        h.extend_from_slice(&[0x02, 0, 0, 0]); // fAMapValid = VALID_AMAP2
        h.extend_from_slice(&[0; 4]); // dwAlign
        let mut fm = [0u8; 128];
        for (i, r) in self.free_runs.iter().take(128).enumerate() {
            fm[i] = *r;
        }
        h.extend_from_slice(&fm);
        h.extend_from_slice(&[0xFF; 128]); // rgbFP
        h.push(0x80); // bSentinel
        h.push(0x00); // bCryptMethod: NDB_CRYPT_NONE
        h.extend_from_slice(&[0; 2]);
        h.extend_from_slice(&(self.next_block << 2).to_le_bytes()); // bidNextB
        let full = crc(&h[8..524]);
        h.extend_from_slice(&full.to_le_bytes());
        h.extend_from_slice(&[0; 36]);
        let partial = crc(&h[8..479]);
        h[4..8].copy_from_slice(&partial.to_le_bytes());
        debug_assert_eq!(h.len(), 564);
        h
    }
}
