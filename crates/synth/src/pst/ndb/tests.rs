//! What `outlook-pst` does not verify when reading, checked here on the bytes: the allocation
//! maps (every block's 64-byte units marked, nothing else but map and B-tree pages), map pages
//! at their intervals with valid CRCs, no block across an interval boundary, header CRCs.

use super::*;

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}
fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().expect("4 bytes"))
}
fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"))
}

#[test]
fn crc_is_the_unreflected_pst_variant() {
    // CRC-32 (0xEDB88320) of "123456789" without pre- and post-inversion
    assert_eq!(crc(b"123456789"), 0x2DFD_2D88);
    assert_eq!(crc(b""), 0);
}

#[test]
fn allocation_maps_cover_exactly_the_written_blocks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("maps.pst");
    let mut ndb = Ndb::create(&path).expect("create");
    // ~2.9 MB of blocks of varied sizes: crosses ten AMap intervals and one PMap interval
    let mut blocks = Vec::new();
    for i in 0..700usize {
        let len = 1 + (i * 7919) % MAX_BLOCK_DATA;
        let data = vec![(i % 251) as u8; len];
        let bid = ndb.write_block(&data, false).expect("block");
        blocks.push((bid, len));
    }
    let stream = vec![0x5Au8; 3 * MAX_BLOCK_DATA + 10];
    let root = ndb.write_stream(&stream).expect("stream");
    assert_eq!(root & 2, 2, "an XBLOCK is an internal block");
    ndb.add_node(0x21, blocks[0].0, 0, 0);
    let entries: Vec<(u64, u64, u16)> = ndb.bbt.iter().map(|b| (b.bid, b.ib, b.cb)).collect();
    let eof = ndb.finish([0x400; 32]).expect("finish");
    let file = std::fs::read(&path).expect("read");
    assert_eq!(file.len() as u64, eof);
    assert_eq!(
        (eof - AMAP_FIRST) % AMAP_COVER,
        0,
        "file ends on an interval"
    );
    let intervals = (eof - AMAP_FIRST) / AMAP_COVER;
    assert!(intervals >= 10, "{intervals}");

    // header CRCs and root
    assert_eq!(&file[0..4], b"!BDN");
    assert_eq!(u32_at(&file, 4), crc(&file[8..479]));
    assert_eq!(u32_at(&file, 524), crc(&file[8..524]));
    assert_eq!(u64_at(&file, 184), eof, "ibFileEof");
    assert_eq!(
        u64_at(&file, 192),
        interval_start(intervals - 1),
        "ibAMapLast"
    );
    assert_eq!(file[248], 0x02, "fAMapValid");

    // expected bits: every block (rounded to 64) and every B-tree page
    let mut expected = vec![false; ((eof - AMAP_FIRST) / 64) as usize];
    let mut mark = |ib: u64, len: u64| {
        for u in (ib - AMAP_FIRST) / 64..(ib - AMAP_FIRST + len).div_ceil(64) {
            assert!(!expected[u as usize], "overlap at {ib:#x}");
            expected[u as usize] = true;
        }
    };
    for (bid, ib, cb) in &entries {
        let total = (u64::from(*cb) + 16).div_ceil(64) * 64;
        let k = (ib - AMAP_FIRST) / AMAP_COVER;
        assert!(
            *ib >= interval_start(k) + reserved(k),
            "block {bid:#x} on a map page"
        );
        assert!(
            ib + total <= interval_start(k + 1),
            "block {bid:#x} crosses an interval"
        );
        // the trailer: size, signature, CRC, BID
        let t = (ib + total - 16) as usize;
        assert_eq!(u16_at(&file, t), *cb);
        assert_eq!(u16_at(&file, t + 2), signature(*ib, *bid));
        let data = &file[*ib as usize..*ib as usize + usize::from(*cb)];
        assert_eq!(u32_at(&file, t + 4), crc(data));
        assert_eq!(u64_at(&file, t + 8), *bid);
        mark(*ib, total);
    }
    for k in 0..intervals {
        mark(interval_start(k), reserved(k));
    }
    // walk both B-trees: every page valid, every page marked, the BBT leaves list every block
    let mut leaf_keys = Vec::new();
    let mut stack = vec![(u64_at(&file, 224), u64_at(&file, 216), PTYPE_NBT)];
    stack.push((u64_at(&file, 240), u64_at(&file, 232), PTYPE_BBT));
    while let Some((ib, bid, ptype)) = stack.pop() {
        let page = &file[ib as usize..ib as usize + 512];
        assert_eq!((page[496], page[497]), (ptype, ptype));
        assert_eq!(u32_at(page, 500), crc(&page[..496]), "B-tree page CRC");
        assert_eq!(u16_at(page, 498), signature(ib, bid));
        assert_eq!(u64_at(page, 504), bid);
        mark(ib, 512);
        let (count, size, level) = (page[488] as usize, page[490] as usize, page[491]);
        for e in 0..count {
            let at = e * size;
            if level > 0 {
                stack.push((u64_at(page, at + 16), u64_at(page, at + 8), ptype));
            } else if ptype == PTYPE_BBT {
                leaf_keys.push(u64_at(page, at));
            }
        }
    }
    leaf_keys.sort();
    let mut bids: Vec<u64> = entries.iter().map(|e| e.0).collect();
    bids.sort();
    assert_eq!(leaf_keys, bids, "the BBT lists every block once");
    for k in 0..intervals {
        let at = interval_start(k) as usize;
        let page = &file[at..at + 512];
        assert_eq!((page[496], page[497]), (PTYPE_AMAP, PTYPE_AMAP));
        assert_eq!(u32_at(page, 500), crc(&page[..496]), "AMap {k} CRC");
        assert_eq!(u64_at(page, 504), at as u64);
        for bit in 0..(AMAP_COVER / 64) as usize {
            let set = page[bit / 8] & (0x80 >> (bit % 8)) != 0;
            let unit = (k * AMAP_COVER / 64) as usize + bit;
            assert_eq!(set, expected[unit], "AMap {k} bit {bit}");
        }
        if has_pmap(k) {
            let p = &file[at + 512..at + 1024];
            assert_eq!(p[496], PTYPE_PMAP);
            assert_eq!(u32_at(p, 500), crc(&p[..496]), "PMap {k} CRC");
        }
    }
}

#[test]
fn map_pages_sit_where_the_specification_puts_them() {
    assert_eq!(reserved(0), 1024, "AMap + PMap");
    assert_eq!(reserved(1), 512);
    assert_eq!(reserved(128), 1536, "first FMap");
    assert_eq!(reserved(128 + 496), 1536);
    assert_eq!(reserved(8192), 2048, "first FPMap in the fourth page");
    assert_eq!(interval_start(1), 0x4400 + 253_952);
}
