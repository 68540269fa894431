//! Human summary of a [`Scope`] as Markdown, in Japanese or English (users read Japanese
//! first). Only counts and masked values appear; raw values only when the scope was revealed.

use super::Scope;

/// Output language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// 日本語.
    Ja,
    /// English.
    En,
}

impl Scope {
    /// Markdown summary in `lang`.
    pub fn render_markdown(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        let t = |j: &str, e: &str| if ja { j.to_string() } else { e.to_string() };
        let yn = |b: bool| {
            if ja {
                if b { "あり" } else { "なし" }
            } else if b {
                "yes"
            } else {
                "no"
            }
        };
        let mut s = String::new();
        s += &t("# 漏えい範囲の調査結果\n\n", "# Leak scope\n\n");
        if self.exposure.limited {
            s += &if ja {
                format!(
                    "対象: 閲覧されたメッセージ {}件・同期されたフォルダー {}件に限定（対象外 {}通）。\n\n",
                    self.exposure.exposed_message_ids,
                    self.exposure.exposed_folders.len(),
                    self.exposure.skipped_messages
                )
            } else {
                format!(
                    "Limited to exposed items: {} message ids, {} folders ({} messages skipped).\n\n",
                    self.exposure.exposed_message_ids,
                    self.exposure.exposed_folders.len(),
                    self.exposure.skipped_messages
                )
            };
        }
        s += &t("## メール\n\n", "## Mail\n\n");
        s += &if ja {
            format!(
                "- メッセージ数: {}（添付あり {}、添付 {}件）\n- アドレス: {}件（社内 {} / 社外 {}、社外ドメイン {}件）\n- 本文・添付のみに現れたアドレス: {}件\n",
                self.messages.total,
                self.messages.with_attachments,
                self.messages.attachments,
                self.addresses.unique,
                self.addresses.internal,
                self.addresses.external,
                self.addresses.external_domain_count,
                self.addresses.found_only_in_bodies
            )
        } else {
            format!(
                "- Messages: {} ({} with attachments, {} attachments)\n- Addresses: {} ({} internal / {} external, {} external domains)\n- Addresses only in bodies/attachments: {}\n",
                self.messages.total,
                self.messages.with_attachments,
                self.messages.attachments,
                self.addresses.unique,
                self.addresses.internal,
                self.addresses.external,
                self.addresses.external_domain_count,
                self.addresses.found_only_in_bodies
            )
        };
        if !self.messages.by_year.is_empty() {
            let years: Vec<String> = self
                .messages
                .by_year
                .iter()
                .map(|(y, n)| format!("{y}: {n}"))
                .collect();
            s += &format!("- {}: {}\n", t("年別", "By year"), years.join(", "));
        }
        if !self.messages.by_folder.is_empty() {
            // Folder names come from the mailbox (an intruder can create folders): escaped.
            let mut folders: Vec<String> = self
                .messages
                .by_folder
                .iter()
                .take(FOLDERS_IN_SUMMARY)
                .map(|(f, n)| format!("{}: {n}", code_span(f)))
                .collect();
            let rest = self
                .messages
                .by_folder
                .len()
                .saturating_sub(FOLDERS_IN_SUMMARY);
            if rest > 0 {
                folders.push(if ja {
                    format!("ほか {rest} フォルダー")
                } else {
                    format!("{rest} more folders")
                });
            }
            s += &format!(
                "- {}: {}\n",
                t("フォルダー別", "By folder"),
                folders.join(", ")
            );
        }
        s += &t("\n## 個人データ\n\n", "\n## Personal data\n\n");
        s += &if ja {
            format!(
                "- 本人の数: **{}名**（重複除去前の記録 {}件）\n- 取引先等の連絡先（署名）: {}件（個人データの人数には含めない）\n",
                self.persons.count,
                self.persons.records_before_dedup,
                self.business_contacts.signature_contacts
            )
        } else {
            format!(
                "- Persons: **{}** ({} records before de-duplication)\n- Business contacts (signatures): {} (not counted as persons)\n",
                self.persons.count,
                self.persons.records_before_dedup,
                self.business_contacts.signature_contacts
            )
        };
        s += &if ja {
            format!(
                "- 個人番号: {} / 銀行口座: {} / カード番号: {} / 要配慮個人情報: {}\n\n",
                yn(self.my_number_found),
                yn(self.bank_account_found),
                yn(self.card_found),
                yn(self.special_care_found)
            )
        } else {
            format!(
                "- My Number: {} / bank account: {} / card: {} / special-care: {}\n\n",
                yn(self.my_number_found),
                yn(self.bank_account_found),
                yn(self.card_found),
                yn(self.special_care_found)
            )
        };
        if !self.persons.by_category.is_empty() {
            s += &t(
                "| 項目 | 人数 |\n|---|---|\n",
                "| Item | Persons |\n|---|---|\n",
            );
            for (c, n) in &self.persons.by_category {
                s += &format!("| {} | {n} |\n", if ja { c.ja() } else { c.en() });
            }
            s += "\n";
        }
        if !self.files.is_empty() {
            s += &t(
                "## 個人データを含むファイル\n\n",
                "## Files with personal data\n\n",
            );
            s += &list_lines(&self.files, |f| {
                let cats: Vec<&str> = f
                    .categories
                    .iter()
                    .map(|c| if ja { c.ja() } else { c.en() })
                    .collect();
                format!(
                    "{}: {}{} ({})",
                    code_span(&f.path),
                    f.persons,
                    t("名", " persons"),
                    cats.join(", ")
                )
            });
            s += &more(self.files.len(), ja);
            s += "\n";
        }
        if !self.not_inspected.is_empty() {
            s += &t(
                "## 確認できなかったファイル\n\n",
                "## Files not inspected\n\n",
            );
            s += &list_lines(&self.not_inspected, |n| {
                format!(
                    "{}: {}",
                    code_span(&n.path),
                    if ja { &n.message_ja } else { &n.message_en }
                )
            });
            s += &more(self.not_inspected.len(), ja);
            s += "\n";
        }
        s += &t(
            "## 個人情報保護委員会への報告\n\n",
            "## Report to the PPC\n\n",
        );
        s += &if ja {
            format!(
                "報告義務: **{}**\n\n",
                if self.ppc_report_required {
                    "あり"
                } else {
                    "該当なし（下記の根拠）"
                }
            )
        } else {
            format!(
                "Report mandatory: **{}**\n\n",
                if self.ppc_report_required {
                    "yes"
                } else {
                    "no trigger found (basis below)"
                }
            )
        };
        for r in self
            .ppc_reasons
            .iter()
            .chain(&self.ppc_notes)
            .chain(&self.searched.not_found)
        {
            s += &format!("- {}\n", if ja { &r.ja } else { &r.en });
        }
        s
    }
}

/// Folders named in the summary; scope.json counts them all.
const FOLDERS_IN_SUMMARY: usize = 50;

/// Files listed by name in the summary, per list; scope.json lists them all.
pub const LISTED_IN_SUMMARY: usize = 200;

/// The line after a list cut at [`LISTED_IN_SUMMARY`].
fn more(total: usize, ja: bool) -> String {
    if total <= LISTED_IN_SUMMARY {
        return String::new();
    }
    let rest = total - LISTED_IN_SUMMARY;
    if ja {
        format!("- ほか {rest} 件（全件は scope.json の一覧を参照）\n")
    } else {
        format!("- … and {rest} more (scope.json lists every file)\n")
    }
}

/// One bullet per entry for the first [`LISTED_IN_SUMMARY`] entries of a list; a list that
/// cannot be read back ends with the error instead of ending short without a word.
fn list_lines<T: Clone>(list: &super::Listing<T>, line: impl Fn(&T) -> String) -> String {
    let mut s = String::new();
    for item in list.iter().take(LISTED_IN_SUMMARY) {
        match item {
            Ok(x) => s += &format!("- {}\n", line(&x)),
            Err(e) => {
                s += &format!("- ({e})\n");
                break;
            }
        }
    }
    s
}

/// `text` as a Markdown code span: file names come from attachments (attacker-controlled), so
/// a backtick or line break in them must not end the span or the list item, and a bidi
/// override must not reorder what the reader sees.
pub(crate) fn code_span(text: &str) -> String {
    let flat = model::text::neutralize(text);
    let mut longest = 0;
    let mut run = 0;
    for c in flat.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    if longest == 0 {
        format!("{fence}{flat}{fence}")
    } else {
        format!("{fence} {flat} {fence}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_cannot_leave_their_code_span() {
        assert_eq!(code_span("社員名簿.xlsx"), "`社員名簿.xlsx`");
        assert_eq!(code_span("a`b"), "`` a`b ``");
        assert_eq!(code_span("x``y\n# 見出し"), "``` x``y # 見出し ```");
        assert_eq!(code_span("請求\u{202E}xslx.exe"), "`請求\u{FFFD}xslx.exe`");
    }

    #[test]
    fn the_summary_counts_messages_by_folder() {
        let set = crate::evalgen::generate(5).expect("generate");
        let mut b = crate::ScopeBuilder::new(crate::ScopeOptions::default());
        for m in &set.messages {
            m.add_to(&mut b, None);
        }
        let scope = b.finish();
        let (folder, n) = scope.messages.by_folder.iter().next().expect("a folder");
        let md = scope.render_markdown(Lang::En);
        assert!(md.contains(&format!("By folder: `{folder}`: {n}")), "{md}");
        assert!(scope.render_markdown(Lang::Ja).contains("フォルダー別"));
    }

    #[test]
    fn long_lists_are_cut_with_a_count_of_the_rest() {
        let list: super::super::Listing<u32> = (0..250u32).collect::<Vec<_>>().into();
        let lines = list_lines(&list, |n| n.to_string());
        assert_eq!(lines.lines().count(), LISTED_IN_SUMMARY);
        assert!(more(250, true).contains("ほか 50 件"));
        assert!(more(250, false).contains("50 more"));
        assert_eq!(more(200, false), "");
    }
}
