//! Golden-ish tests over a synthetic case folder: write the case files, read them back, write
//! the reports, and check the facts, the escaping and the masking in what was written.

mod common;

use act::{
    Lang, ReportOptions, read_case_dir, write_case_files, write_reports, write_reports_with,
};
use common::*;

fn case_dir() -> (tempfile::TempDir, act::CaseInputs) {
    let dir = tempfile::tempdir().expect("tempdir");
    let inputs = case();
    write_case_files(dir.path(), &inputs).expect("case files");
    std::fs::write(dir.path().join("scope.json"), scope_json(64).to_string()).expect("scope");
    let loaded = read_case_dir(dir.path()).expect("read case");
    (dir, loaded)
}

#[test]
fn case_folder_round_trips() {
    let (dir, loaded) = case_dir();
    let orig = case();
    assert_eq!(loaded.incidents, orig.incidents);
    assert_eq!(loaded.findings, orig.findings);
    assert_eq!(loaded.hidden_sends, orig.hidden_sends);
    assert_eq!(loaded.mail_verdicts, orig.mail_verdicts);
    assert_eq!(loaded.scope.as_ref().and_then(|s| s.persons), Some(64));
    assert_eq!(loaded.discovered_at, orig.discovered_at);
    assert_eq!(loaded.tz, chrono_tz::Asia::Tokyo);
    assert_eq!(
        loaded.timeline, orig.timeline,
        "timeline stats come from case.json when there is no timeline.csv"
    );
    assert!(loaded.read_errors.is_empty());
    // One broken line is reported, not fatal, and the rest still loads.
    let p = dir.path().join("findings.jsonl");
    let mut text = std::fs::read_to_string(&p).expect("read");
    text.push_str("{not json\n");
    std::fs::write(&p, text).expect("write");
    let again = read_case_dir(dir.path()).expect("read again");
    assert_eq!(again.findings.len(), orig.findings.len());
    assert_eq!(again.read_errors.len(), 1);
    assert_eq!(again.read_errors[0].record, orig.findings.len() as u64 + 1);
}

#[test]
fn japanese_report_states_the_case() {
    let (dir, loaded) = case_dir();
    let paths = write_reports(dir.path(), &loaded, Lang::Ja).expect("reports");
    assert!(paths.ppc_en.is_none());
    let md = std::fs::read_to_string(&paths.markdown).expect("md");
    for needle in [
        "Example Manufacturing",
        "2025-06-01 11:00:00 +09:00", // first malicious event, local time
        "2025-06-01T02:00:00Z",       // … and UTC
        "192.0.2.10",
        "30 通（宛先 30 件、3 ドメイン", // hidden sends
        "送信済みアイテムに残らない送信 30 通（宛先 30 件）", // per incident
        "ルール・転送・権限等の検知 1 件（イベント 1）",
        "メール・ファイルへのアクセス検知 1 件（イベント 3）",
        "partner-a.example",
        "| フィッシング | 3 |",
        "| 不審 | 1 |",
        "**64**",
        "報告義務あり",
        "2025年6月8日（日） 〜 2025年6月10日（火）",
        "2025年8月4日（月）",
        "処理時間 | 00:01:15",
        "30d 04:00:00",
        "パスワード付きZIPのため中身を確認できません（PPAP）",
        "12桁の数字を検査桁（mod 11）と文脈語で確認",
        "検査範囲は攻撃者が閲覧し得たメールに限定: 5000 通（フォルダ: 受信トレイ、送信済みアイテム）",
        "社外ドメイン 120",
    ] {
        assert!(md.contains(needle), "report.md lacks {needle:?}\n{md}");
    }
    let html = std::fs::read_to_string(&paths.html).expect("html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<html lang=\"ja\">"));
    assert!(html.contains("<span class=\"sev sev-critical\">critical</span>"));
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no external resources"
    );
}

#[test]
fn ppc_draft_has_the_nine_items_filled_from_evidence() {
    let (dir, loaded) = case_dir();
    let paths = write_reports(dir.path(), &loaded, Lang::Ja).expect("reports");
    let ppc = std::fs::read_to_string(&paths.ppc).expect("ppc");
    for item in [
        "(1) 概要",
        "(2) 漏えい等が発生し、又は発生したおそれがある個人データの項目",
        "(3) 漏えい等が発生し、又は発生したおそれがある個人データに係る本人の数",
        "(4) 原因",
        "(5) 二次被害又はそのおそれの有無及びその内容",
        "(6) 本人への対応の実施状況",
        "(7) 公表の実施状況",
        "(8) 再発防止のための措置",
        "(9) その他参考となる事項",
    ] {
        assert!(ppc.contains(item), "ppc-report.md lacks item {item}");
    }
    for needle in [
        "TODO(担当者記入)",
        "**64人**",
        "氏名（64人）",
        "個人番号（マイナンバー）: 検出されず",
        "第三者による不正アクセス",
        "メール 30 通が 30 件の宛先（3 ドメイン）",
        "フィッシング 3 通、不審 1 通",
        "施行規則第7条第3号",
        "60日以内",
        "**2025年8月4日（月）**",
        "2025年6月8日（日） 〜 2025年6月10日（火）",
        "2025-06-01 11:00:00 +09:00",
        "SMTP AUTH 等のレガシー認証の無効化",
        "不正な受信トレイルール",
        "検査できなかったファイルが 1 件",
    ] {
        assert!(
            ppc.contains(needle),
            "ppc-report.md lacks {needle:?}\n{ppc}"
        );
    }
}

#[test]
fn attacker_strings_render_inert() {
    let (dir, loaded) = case_dir();
    for lang in [Lang::Ja, Lang::En] {
        let paths = write_reports(dir.path(), &loaded, lang).expect("reports");
        let html = std::fs::read_to_string(&paths.html).expect("html");
        let md = std::fs::read_to_string(&paths.markdown).expect("md");
        let ppc = std::fs::read_to_string(&paths.ppc).expect("ppc");
        for (name, text) in [("html", &html), ("md", &md), ("ppc", &ppc)] {
            let lower = text.to_lowercase();
            assert!(!lower.contains("<script"), "{name} has a live <script>");
            assert!(!lower.contains("<img"), "{name} has a live <img>");
        }
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;請求書のご確認"),
            "subject shown escaped"
        );
        assert!(
            html.contains("&lt;script&gt;alert(&#39;ua&#39;)&lt;/script&gt;"),
            "user agent shown escaped"
        );
        assert!(
            md.contains("&lt;script&gt;alert(1)&lt;/script&gt;請求書のご確認"),
            "subject shown escaped in md"
        );
        assert!(
            md.contains("&lt;script&gt;alert('ua')&lt;/script&gt;"),
            "user agent shown escaped in md"
        );
        assert!(
            md.contains("=cmd\\|' /C calc'!A0"),
            "pipe in subject cannot break the table"
        );
        assert!(html.contains("Content-Security-Policy"));
    }
}

#[test]
fn personal_data_is_masked_unless_revealed() {
    let (dir, loaded) = case_dir();
    let paths = write_reports(dir.path(), &loaded, Lang::Ja).expect("reports");
    let md = std::fs::read_to_string(&paths.markdown).expect("md");
    let html = std::fs::read_to_string(&paths.html).expect("html");
    for text in [&md, &html] {
        assert!(!text.contains("k.suzuki"), "recipient local part leaked");
        assert!(
            !text.contains("山田花子"),
            "file name with a person's name leaked"
        );
    }
    assert!(md.contains("k\\*\\*\\*@partner-a.example"));
    assert!(md.contains("#1 (.xlsx)"));
    let opts = ReportOptions {
        lang: Lang::Ja,
        reveal: true,
        sample_rows: None,
    };
    let paths = write_reports_with(dir.path(), &loaded, &opts).expect("reports");
    let md = std::fs::read_to_string(&paths.markdown).expect("md");
    assert!(md.contains("k.suzuki@partner-a.example"));
    assert!(md.contains("扶養控除等申告書\\_山田花子.xlsx"));
}

#[test]
fn english_reports_and_translation_of_the_draft() {
    let (dir, loaded) = case_dir();
    let paths = write_reports(dir.path(), &loaded, Lang::En).expect("reports");
    let md = std::fs::read_to_string(&paths.markdown).expect("md");
    assert!(md.contains("# mimamori investigation report — Example Manufacturing"));
    assert!(md.contains("30 messages (30 recipients, 3 domains"));
    assert!(md.contains("Report required"));
    let ppc = std::fs::read_to_string(&paths.ppc).expect("ppc");
    assert!(
        ppc.contains("(1) 概要"),
        "the official draft stays Japanese"
    );
    let en = std::fs::read_to_string(paths.ppc_en.expect("en draft")).expect("read");
    assert!(en.contains("(4) Cause"));
    assert!(en.contains("within 60 days"));
    assert!(en.contains("2025-08-04 (Mon)"));
    assert!(en.contains("TODO(担当者記入)"));
}

#[test]
fn draft_without_discovery_date_asks_for_it() {
    let mut c = case();
    c.discovered_at = None;
    let ppc = act::render_ppc_draft(&c, Lang::Ja);
    assert!(ppc.contains("--discovered-at"));
    assert!(!ppc.contains("2025年8月4日"));
}

#[test]
fn a_large_scope_json_is_read_with_its_lists_cut_and_its_totals_kept() {
    let dir = tempfile::tempdir().expect("dir");
    let files: Vec<serde_json::Value> = (0..3000)
        .map(|i| serde_json::json!({"path": format!("m{i}/a.xlsx"), "persons": 2, "categories": ["name"]}))
        .collect();
    let scope = serde_json::json!({"schema_version": 1, "persons": {"count": 2}, "files": files});
    std::fs::write(dir.path().join("scope.json"), scope.to_string()).expect("write");
    let loaded = read_case_dir(dir.path()).expect("read case");
    let s = loaded.scope.expect("scope read");
    assert_eq!((s.files.len(), s.files_count), (1000, 3000));
    assert_eq!(s.persons, Some(2));
}
