//! Folders and the store, written by [`PstWriter::finish`] once their children and messages
//! are known: each folder's property context and its hierarchy, contents and
//! associated-contents tables (MS-PST §2.4.4), then the message store (§2.4.3), the
//! named-property map and the NDB's B-trees and header.

use super::*;

impl PstWriter {
    /// Writes the folders, the store, the B-trees and the header, and closes the file.
    pub fn finish(mut self) -> Result<PstSummary, Error> {
        let deleted = match self.deleted_items {
            Some(d) => d,
            None => self.add_folder(FolderId(IPM), "Deleted Items")?.0,
        };
        for i in 0..self.folders.len() {
            self.write_folder(i)?;
        }
        let ipm = self.entry_id(IPM);
        let wastebasket = self.entry_id(deleted);
        let finder = self.entry_id(FINDER);
        let record_key = self.record_key;
        let name = self.display_name.clone();
        let mut props = vec![
            (PR_RECORD_KEY, Value::Binary(&record_key)),
            (PR_DISPLAY_NAME, Value::Unicode(&name)),
            (PR_IPM_SUBTREE_ENTRYID, Value::Binary(&ipm)),
            (PR_IPM_WASTEBASKET_ENTRYID, Value::Binary(&wastebasket)),
            (PR_FINDER_ENTRYID, Value::Binary(&finder)),
            (PR_VALID_FOLDER_MASK, Value::I32(VALID_FOLDER_MASK)),
        ];
        let mut subs = SubNodes::default();
        let data = write_pc(&mut self.ndb, &mut props, &mut subs)?;
        let sub = self.ndb.write_subnodes(subs.entries)?;
        self.ndb.add_node(NID_MESSAGE_STORE, data, sub, 0);
        // the named-property map (MS-PST §2.4.7) with one entry, PidLidReminderSet
        // (PSETID_Common, LID 0x8503) as named property 0x8000, so readers that expect a
        // non-empty map (libpff) open the file; no message uses it
        let (guids, entries, bucket) = name_to_id_map();
        let mut props = vec![
            (PID_NAMEID_BUCKET_COUNT, Value::I32(251)),
            (PID_NAMEID_STREAM_GUID, Value::Binary(&guids)),
            (PID_NAMEID_STREAM_ENTRY, Value::Binary(&entries)),
            (PID_NAMEID_STREAM_STRING, Value::Binary(&[])),
            (bucket.0, Value::Binary(&bucket.1)),
        ];
        let mut subs = SubNodes::default();
        let data = write_pc(&mut self.ndb, &mut props, &mut subs)?;
        self.ndb.add_node(NID_NAME_TO_ID_MAP, data, 0, 0);

        // rgnid: the next free index of every NID type
        let mut nids = [0x400u32; 32];
        nids[0x03] = 0x4000;
        nids[0x08] = 0x8000;
        for t in [
            NID_TYPE_NORMAL_FOLDER,
            NID_TYPE_HIERARCHY_TABLE,
            NID_TYPE_CONTENTS_TABLE,
            NID_TYPE_ASSOC_CONTENTS_TABLE,
        ] {
            nids[t as usize] = self.next_folder;
        }
        nids[NID_TYPE_NORMAL_MESSAGE as usize] = self.next_message;
        let folders = self.folders.len() - 3;
        let bytes = self.ndb.finish(nids)?;
        Ok(PstSummary {
            bytes,
            folders,
            messages: self.messages,
        })
    }

    fn write_folder(&mut self, i: usize) -> Result<(), Error> {
        let f = &self.folders[i];
        let index = f.nid >> 5;
        let count = i32::try_from(f.messages.len()).unwrap_or(i32::MAX);
        let mut props = vec![
            (PR_DISPLAY_NAME, Value::Unicode(&f.name)),
            (PR_CONTENT_COUNT, Value::I32(count)),
            (PR_CONTENT_UNREAD, Value::I32(0)),
            (PR_SUBFOLDERS, Value::Bool(!f.children.is_empty())),
        ];
        if f.mail {
            props.push((PR_CONTAINER_CLASS, Value::Unicode("IPF.Note")));
        }
        let mut subs = SubNodes::default();
        let data = write_pc(&mut self.ndb, &mut props, &mut subs)?;
        let sub = self.ndb.write_subnodes(subs.entries)?;
        let parent = self.folders[f.parent].nid;
        self.ndb.add_node(f.nid, data, sub, parent);

        let counts: Vec<(u32, i32, bool)> = f
            .children
            .iter()
            .map(|c| {
                let c = &self.folders[*c];
                let n = i32::try_from(c.messages.len()).unwrap_or(i32::MAX);
                (c.nid, n, !c.children.is_empty())
            })
            .collect();
        let rows: Vec<Row<'_>> = f
            .children
            .iter()
            .zip(&counts)
            .map(|(c, (nid, n, has))| Row {
                id: *nid,
                values: vec![
                    Some(Value::Unicode(&self.folders[*c].name)),
                    Some(Value::I32(*n)),
                    Some(Value::I32(0)),
                    Some(Value::Bool(*has)),
                ],
            })
            .collect();
        let columns = [
            (PR_DISPLAY_NAME, PT_UNICODE),
            (PR_CONTENT_COUNT, PT_I32),
            (PR_CONTENT_UNREAD, PT_I32),
            (PR_SUBFOLDERS, PT_BOOL),
        ];
        let node = write_table_node(
            &mut self.ndb,
            (index << 5) | NID_TYPE_HIERARCHY_TABLE,
            &columns,
            &rows,
        )?;
        self.ndb.add_node(node.nid, node.data, node.sub, 0);

        let rows: Vec<Row<'_>> = f
            .messages
            .iter()
            .map(|m| Row {
                id: m.nid,
                values: vec![
                    Some(Value::I32(m.flags)),
                    Some(Value::I32(m.size)),
                    Some(Value::Time(m.delivery)),
                    Some(Value::Time(m.submit)),
                ],
            })
            .collect();
        let columns = [
            (PR_MESSAGE_FLAGS, PT_I32),
            (PR_MESSAGE_SIZE, PT_I32),
            (PR_MESSAGE_DELIVERY_TIME, PT_TIME),
            (PR_CLIENT_SUBMIT_TIME, PT_TIME),
        ];
        let node = write_table_node(
            &mut self.ndb,
            (index << 5) | NID_TYPE_CONTENTS_TABLE,
            &columns,
            &rows,
        )?;
        self.ndb.add_node(node.nid, node.data, node.sub, 0);
        let node = write_table_node(
            &mut self.ndb,
            (index << 5) | NID_TYPE_ASSOC_CONTENTS_TABLE,
            &[],
            &[],
        )?;
        self.ndb.add_node(node.nid, node.data, node.sub, 0);
        // contents rows are no longer needed
        self.folders[i].messages = Vec::new();
        Ok(())
    }
}

/// The GUID stream, entry stream and the one hash bucket (property id, bytes) of a map holding
/// PidLidReminderSet. An entry is dwPropertyID, then (wGuid << 1 | N), then wPropIdx; wGuid 3
/// is the first GUID of the GUID stream; a bucket entry replaces dwPropertyID by its hash
/// (dwPropertyID XOR (wGuid << 1 | N)) and the bucket is 0x1000 + hash % 251.
fn name_to_id_map() -> (Vec<u8>, Vec<u8>, (u16, Vec<u8>)) {
    // PSETID_Common {00062008-0000-0000-C000-000000000046}, little-endian GUID layout
    let guid = [
        0x08, 0x20, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x46,
    ];
    let lid: u32 = 0x8503;
    let guid_and_kind: u16 = 3 << 1;
    let mut entry = lid.to_le_bytes().to_vec();
    entry.extend_from_slice(&guid_and_kind.to_le_bytes());
    entry.extend_from_slice(&0u16.to_le_bytes());
    let hash = lid ^ u32::from(guid_and_kind);
    let mut bucket = hash.to_le_bytes().to_vec();
    bucket.extend_from_slice(&guid_and_kind.to_le_bytes());
    bucket.extend_from_slice(&0u16.to_le_bytes());
    (guid.to_vec(), entry, (0x1000 + (hash % 251) as u16, bucket))
}
