//! The streaming xlsx reader against calamine: identical grids on the evaluation workbooks and
//! on hand-written parts with rich text, phonetic runs, dates, missing references, inline
//! strings, formulas' cached values and sparse rows; fallback on what it does not handle.

use super::*;
use crate::evalgen::{generate, writers};
use crate::extract::sheet::calamine_workbook;
use std::io::Cursor;
use zip::{CompressionMethod, ZipArchive};

/// Sheets as (label, grid).
type Sheets = Vec<(String, Vec<Vec<String>>)>;

fn tables(blocks: &[Block]) -> Sheets {
    blocks
        .iter()
        .map(|b| match b {
            Block::Table(t) => (t.label.clone(), t.rows.clone()),
            Block::Text(t) => (format!("text:{t}"), Vec::new()),
        })
        .collect()
}

fn fast(bytes: &[u8]) -> Result<Sheets, Unsupported> {
    let mut zip = Zip::open(bytes).expect("zip");
    read_workbook("t.xlsx", &mut zip, &ExtractLimits::default()).map(|b| tables(&b))
}

fn slow(bytes: &[u8]) -> Sheets {
    tables(&calamine_workbook("t.xlsx", bytes, false).expect("calamine"))
}

const NS: &str = r#"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

/// A workbook from raw parts: one sheet `sheet_xml` (the `<sheetData>` content), shared strings
/// (`<si>` items) and styles (`numFmts` + `cellXfs` content).
fn workbook(sheet_data: &str, sst: &str, num_fmts: &str, xfs: &str, wb_pr: &str) -> Vec<u8> {
    let wb = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook {NS}>{wb_pr}<sheets><sheet name="名簿 &amp; 1" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    );
    let rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;
    let sheet = format!(
        r#"<?xml version="1.0"?><worksheet {NS}><sheetViews/><sheetData>{sheet_data}</sheetData><mergeCells count="0"/></worksheet>"#
    );
    let sst = format!(r#"<?xml version="1.0"?><sst {NS}>{sst}</sst>"#);
    let styles = format!(
        r#"<?xml version="1.0"?><styleSheet {NS}><numFmts>{num_fmts}</numFmts><fonts count="1"><font><sz val="11"/></font></fonts><cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs><cellXfs>{xfs}</cellXfs></styleSheet>"#
    );
    writers::zip(
        "t.xlsx",
        &[
            ("[Content_Types].xml", b"<Types/>".to_vec()),
            ("_rels/.rels", ROOT_RELS.as_bytes().to_vec()),
            ("xl/workbook.xml", wb.into_bytes()),
            ("xl/_rels/workbook.xml.rels", rels.as_bytes().to_vec()),
            ("xl/worksheets/sheet1.xml", sheet.into_bytes()),
            ("xl/sharedStrings.xml", sst.into_bytes()),
            ("xl/styles.xml", styles.into_bytes()),
        ],
        CompressionMethod::Deflated,
    )
    .expect("zip")
}

const ROOT_RELS: &str = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

const XFS: &str = r#"<xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="176"/><xf numFmtId="177"/><xf numFmtId="49"/><xf numFmtId="178"/><xf numFmtId="57"/>"#;
const FMTS: &str = r##"<numFmt numFmtId="176" formatCode="yyyy/mm/dd"/><numFmt numFmtId="177" formatCode="[$-411]ggge&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/><numFmt numFmtId="178" formatCode="#,##0&quot;円&quot;;[Red]\-#,##0"/>"##;

#[test]
fn evaluation_workbooks_give_calamines_grids() {
    let mut n = 0;
    for seed in 1..=4 {
        for m in generate(seed).expect("generate").messages {
            for a in &m.attachments {
                if !a.name.ends_with(".xlsx") || !a.bytes.starts_with(b"PK") {
                    continue;
                }
                let Ok(expected) = calamine_workbook(&a.name, &a.bytes, false) else {
                    // Corrupt workbooks: the fast reader must not accept them either.
                    let opened = ZipArchive::new(Cursor::new(a.bytes.as_slice())).is_ok();
                    assert!(!opened || fast(&a.bytes).is_err(), "{} accepted", a.name);
                    continue;
                };
                assert_eq!(
                    fast(&a.bytes).expect("fast reader"),
                    tables(&expected),
                    "{}",
                    a.name
                );
                n += 1;
            }
        }
    }
    assert!(n >= 4, "only {n} workbooks compared");
}

#[test]
fn rich_text_phonetic_runs_and_inline_strings() {
    let sst = concat!(
        "<si><t>氏名</t></si>",
        r#"<si><r><rPr><b/></rPr><t>山田</t></r><r><t xml:space="preserve"> 太郎</t></r><rPh sb="0" eb="2"><t>ヤマダ</t></rPh><phoneticPr fontId="1"/></si>"#,
        "<si><t>  trimmed\n</t></si>",
        r#"<si><t xml:space="preserve">  kept </t></si>"#,
        "<si><t>a_x000D_b&amp;c&#x3042;_x00_</t></si>",
        "<si><t/></si>",
    );
    let data = concat!(
        r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>"#,
        r#"<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c><c r="C2" t="s"><v>4</v></c></row>"#,
        r#"<row r="3"><c r="A3" t="inlineStr"><is><r><t>佐藤</t></r><r><t>花子</t></r><rPh><t>サトウ</t></rPh></is></c><c r="B3" t="s"><v>5</v></c></row>"#,
    );
    let x = workbook(data, sst, FMTS, XFS, "");
    let got = fast(&x).expect("fast");
    assert_eq!(got, slow(&x));
    assert_eq!(got[0].0, "名簿 & 1");
    assert_eq!(got[0].1[0], vec!["氏名", "山田 太郎", ""]);
    assert_eq!(got[0].1[1], vec!["trimmed", "  kept ", "a\rb&cあ_x00_"]);
    assert_eq!(got[0].1[2], vec!["佐藤花子", "", ""]);
}

#[test]
fn numbers_dates_booleans_formulas_and_errors() {
    let data = concat!(
        r#"<row r="2"><c r="B2"><v>9012345678</v></c><c r="C2" s="0"><v>1.5</v></c><c r="D2" s="1"><v>32874</v></c></row>"#,
        r#"<row r="3"><c r="B3" s="2"><v>45000</v></c><c r="C3" s="3"><v>45000.75</v></c><c r="D3" s="4"><v>45000</v></c><c r="E3" s="5"><v>45000</v></c><c r="F3" s="6"><v>45000</v></c></row>"#,
        r#"<row r="4"><c r="B4" t="b"><v>1</v></c><c r="C4" t="e"><v>#N/A</v></c><c r="D4" t="str"><f>A1&amp;"x"</f><v>東京&amp;x</v></c><c r="E4"><f t="shared" ref="E4:E5" si="0">B2*2</f><v>18024691356</v></c></row>"#,
        r#"<row r="5"><c r="E5"><f t="shared" si="0"/><v>3</v></c><c r="F5" s="1"/><c r="G5" t="d"><v>2024-01-02T00:00:00</v></c></row>"#,
    );
    let x = workbook(data, "", FMTS, XFS, "");
    let got = fast(&x).expect("fast");
    assert_eq!(got, slow(&x));
    let g = &got[0].1;
    assert_eq!(g[0], vec!["9012345678", "1.5", "1990-01-01", "", "", ""]);
    assert_eq!(
        g[1],
        vec![
            "2023-03-15",
            "2023-03-15",
            "45000",
            "45000",
            "2023-03-15",
            ""
        ]
    );
    assert_eq!(g[2], vec!["true", "#NA", "東京&x", "18024691356", "", ""]);
    assert_eq!(g[3], vec!["", "", "", "3", "", "2024-01-02T00:00:00"]);
}

#[test]
fn missing_references_and_sparse_rows() {
    let data = concat!(
        r#"<row><c t="inlineStr"><is><t>a</t></is></c><c t="inlineStr"><is><t>b</t></is></c></row>"#,
        r#"<row r="4" spans="1:5"><c r="C4" t="inlineStr"><is><t>c</t></is></c><c><v>7</v></c><c r="A4"><v>1</v></c></row>"#,
        r#"<row><c r="E5" s="1"/><c><v>2</v></c></row>"#,
    );
    let x = workbook(data, "", FMTS, XFS, "");
    let got = fast(&x).expect("fast");
    assert_eq!(got, slow(&x));
    let g = &got[0].1;
    assert_eq!(g.len(), 5);
    assert_eq!(g[0], vec!["a", "b", "", "", "", ""]);
    assert_eq!(g[3], vec!["1", "", "c", "7", "", ""]);
    assert_eq!(g[4], vec!["", "", "", "", "", "2"]);
}

#[test]
fn unsupported_workbooks_fall_back() {
    let data = r#"<row r="1"><c r="A1" s="1"><v>45000</v></c></row>"#;
    let x = workbook(data, "", FMTS, XFS, r#"<workbookPr date1904="1"/>"#);
    assert!(fast(&x).is_err());
    // The public path still reads it (through calamine).
    let ex = crate::extract::extract("t.xlsx", None, &x, &ExtractLimits::default());
    assert_eq!(ex.docs.len(), 1);
    let bad = workbook(r#"<row><c r="1A"><v>1</v></c></row>"#, "", FMTS, XFS, "");
    assert!(fast(&bad).is_err());
    let bad_type = workbook(
        r#"<row><c r="A1" t="zz"><v>1</v></c></row>"#,
        "",
        FMTS,
        XFS,
        "",
    );
    assert!(fast(&bad_type).is_err());
}

#[test]
fn date_format_codes() {
    for code in [
        "yyyy/mm/dd",
        "[$-411]ggge\"年\"m\"月\"d\"日\"",
        "h:mm AM/PM",
        "[h]:mm:ss",
        "DD/MM/YY",
        "m\"M\"d\"D\";@",
    ] {
        assert!(is_date_format(code), "{code}");
    }
    for code in [
        "General",
        "#,##0\"円\";[Red]\\-#,##0",
        "0.00E+00",
        "\"Y: \"0.00\"m\"",
        "[Red]0",
        "\\Y000000",
        "@",
        "0_);(0)",
    ] {
        assert!(!is_date_format(code), "{code}");
    }
    assert!(builtin_date_format("14") && builtin_date_format("57") && builtin_date_format("46"));
    assert!(!builtin_date_format("49") && !builtin_date_format("0"));
}

#[test]
fn cell_references() {
    assert_eq!(cell_ref("A1"), Some((0, 0)));
    assert_eq!(cell_ref("AB12"), Some((11, 27)));
    assert_eq!(cell_ref("XFD1048576"), Some((1_048_575, 16_383)));
    assert_eq!(cell_ref("A0"), None);
    assert_eq!(cell_ref("a1"), None);
    assert_eq!(cell_ref("1A"), None);
}

#[test]
fn tokenizer_handles_comments_quotes_prefixes_and_self_closing_tags() {
    use super::lex::{Lexer, Tok};
    let xml = r#"<?xml version="1.0"?><!-- a <c> comment --><x:row r="1" spans='1:2'><x:c r="A1" t="a>b"/>t&amp;x</x:row>"#;
    let mut lx = Lexer::new(xml);
    let mut toks = Vec::new();
    while let Some(t) = lx.next_tok().expect("tok") {
        toks.push(t);
    }
    assert_eq!(
        toks,
        vec![
            Tok::Start("row", r#" r="1" spans='1:2'"#),
            Tok::Start("c", r#" r="A1" t="a>b""#),
            Tok::End("c"),
            Tok::Text("t&amp;x"),
            Tok::End("row"),
        ]
    );
    assert_eq!(
        super::lex::attr(r#" r="1" spans='1:2'"#, "spans"),
        Some("1:2")
    );
    assert_eq!(super::lex::attr(r#" x:t="s""#, "t"), Some("s"));
    assert!(Lexer::new("<![CDATA[x]]>").next_tok().is_err());
    assert!(Lexer::new("<c r=\"A1\"").next_tok().is_err());
    let mut s = String::new();
    super::lex::push_decoded(&mut s, "a&lt;b&#x3042;&#12354;\r\nz\r").expect("decode");
    assert_eq!(s, "a<bああ\nz\n");
    assert!(super::lex::push_decoded(&mut String::new(), "a & b").is_err());
}

#[test]
fn shared_strings_used_by_several_cells_and_sheets() {
    // Items taken by the first cell using them are copied for later cells of the same sheet
    // and put back for the following sheets.
    let row = |a: &str, b: &str, c: &str| vec![a.to_string(), b.to_string(), c.to_string()];
    let first = vec![
        row("氏名", "住所", "備考"),
        row("山田 太郎", "東京都港区芝公園1-1", "山田 太郎"),
        row("山田 太郎", "東京都港区芝公園1-1", ""),
        row("佐藤 花子", "", "佐藤 花子"),
    ];
    let second = vec![
        row("氏名", "備考", "住所"),
        row("佐藤 花子", "山田 太郎", "東京都港区芝公園1-1"),
    ];
    let third = vec![row("山田 太郎", "氏名", "")];
    let bytes = writers::xlsx(
        "t.xlsx",
        &[
            ("一", first),
            ("二", second.clone()),
            ("三", third),
            ("四", second),
        ],
    )
    .expect("xlsx");
    let got = fast(&bytes).expect("fast reader");
    assert_eq!(got, slow(&bytes));
    assert_eq!(got.len(), 4);
    assert_eq!(got[3].1[1][1], "山田 太郎");
}

#[test]
fn tokenizer_matches_its_reference_on_every_evaluation_part_and_edge_case() {
    use super::lex::Lexer;
    fn stream(xml: &str, expand: bool, reference: bool) -> String {
        let mut lx = if expand {
            Lexer::new(xml)
        } else {
            Lexer::new_unexpanded(xml)
        };
        let mut out = String::new();
        loop {
            let t = if reference {
                lx.next_tok_reference()
            } else {
                lx.next_tok()
            };
            out.push_str(&format!("{t:?}\n"));
            if !matches!(t, Ok(Some(_))) {
                return out;
            }
        }
    }
    let mut parts: Vec<String> = [
        "",
        "<",
        "<a",
        "</a",
        "<!",
        "<!-",
        "<!-- x",
        "<? x",
        "<!DOCTYPE x>",
        "<![CDATA[<a>]]>",
        "text only, longer than thirty-two bytes without any tag at all",
        "短いテキスト<a/>",
        "あいうえおかきくけこさしすせそたちつてと<b>x</b>",
        "0123456789012345678901234567890あ<c>",
        "01234567890123456789012345678901<c>",
        "<a b='>' c=\"'\"/><d\te=\"1\"\n/></ d ><e:f g:h=\"i\"></e:f >",
        "<?xml version=\"1.0\"?><!-- <x> --><r>a<!-- c -->b</r>",
        "<a/ ><b / ><c//>< d>",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for seed in 1..=4 {
        for m in generate(seed).expect("generate").messages {
            for a in &m.attachments {
                let Ok(mut zip) = ZipArchive::new(Cursor::new(a.bytes.as_slice())) else {
                    continue;
                };
                for i in 0..zip.len() {
                    let Ok(mut f) = zip.by_index(i) else { continue };
                    let mut x = String::new();
                    let name = f.name().map(|n| n.to_string()).unwrap_or_default();
                    if name.ends_with(".xml") || name.ends_with(".rels") {
                        let _ = std::io::Read::read_to_string(&mut f, &mut x);
                        parts.push(x);
                    }
                }
            }
        }
    }
    assert!(parts.len() >= 80, "{}", parts.len());
    for p in &parts {
        for expand in [true, false] {
            assert_eq!(stream(p, expand, false), stream(p, expand, true), "{p}");
        }
    }
}

#[test]
fn string_items_read_by_their_bytes_match_calamine() {
    // The exact forms the byte path takes, and near misses that must take the token path.
    let items = [
        "<si><t>a</t></si>",
        "<si><t>  spaced \n</t></si>",
        r#"<si><t xml:space="preserve">  kept </t></si>"#,
        "<si><t>a&amp;b&lt;_x0041_</t></si>",
        "<si><t>\r\nline\rbreaks\r\n</t></si>",
        "<si><t></t></si>",
        "<si><t/></si>",
        "<si/>",
        "<si><t>a</t><t>b</t></si>",
        "<si><t>a</t> </si>",
        "<si><t>a</t ></si>",
        r#"<si><t xml:space='preserve'> q </t></si>"#,
        r#"<si><t xml:space="default"> d </t></si>"#,
        "<si><t>x</t></si >",
        "<si><t>長い名前のテキスト</t></si>",
    ];
    let data: String = (0..items.len())
        .map(|i| {
            format!(
                r#"<row r="{}"><c r="A{}" t="s"><v>{i}</v></c></row>"#,
                i + 1,
                i + 1
            )
        })
        .collect();
    let x = workbook(&data, &items.concat(), FMTS, XFS, "");
    let got = fast(&x).expect("fast");
    assert_eq!(got, slow(&x));
    assert_eq!(got[0].1[2][0], "  kept ");
    assert_eq!(got[0].1[3][0], "a&b<A");
}

#[test]
fn cell_values_read_by_their_bytes_match_calamine() {
    // `<v>…</v></c>` exactly (byte path) and near misses (token path).
    let data = concat!(
        r#"<row r="1"><c r="A1"><v>12</v></c><c r="B1" t="str"><v>a&amp;b</v></c><c r="C1"><v></v></c>"#,
        r#"<c r="D1"><v>7</v> </c><c r="E1"><v>8</v ></c><c r="F1"/><c r="G1" t="b"><v>1</v></c>"#,
        r#"<c r="H1" t="s"><v>0</v></c><c r="I1"><f>1+1</f><v>2</v></c><c r="J1"><v>3</v></c ></row>"#,
    );
    let x = workbook(data, "<si><t>氏名</t></si>", FMTS, XFS, "");
    let got = fast(&x).expect("fast");
    assert_eq!(got, slow(&x));
    assert_eq!(
        got[0].1[0],
        vec!["12", "a&b", "", "7", "8", "", "true", "氏名", "2", "3"]
    );
}

#[test]
fn byte_trims_equal_the_str_trims() {
    use super::lex::{trim_end_ws, trim_start_ws};
    let cases = [
        "",
        " ",
        "a",
        " a ",
        "\t\n\r\x0B\x0C a b \x0C\x0B\r\n\t",
        "\u{3000}t=\"s\"\u{3000}",
        " \u{85}x\u{a0} ",
        "\u{2028} r",
        "r \u{2029}",
        "é ",
        " é",
        "  \u{3000} ",
        "\x1F a \x1F",
        "\u{200B}x\u{200B}",
    ];
    for c in cases {
        assert_eq!(trim_start_ws(c), c.trim_start(), "{c:?}");
        assert_eq!(trim_end_ws(c), c.trim_end(), "{c:?}");
    }
}

#[test]
fn byte_prefix_strip_equals_str_strip_prefix() {
    let parts = [
        "", "<", "</", "<v>", "v", "c", "></", ">", "é", "<t", "x", "\u{3000}",
    ];
    let prefixes = [
        "", "<v>", "<t>", "</", "v", "c", "t", "si", "></", ">", "é", "<v",
    ];
    for a in parts {
        for b in parts {
            for c in parts {
                let s = format!("{a}{b}{c}");
                for p in prefixes {
                    assert_eq!(super::lex::strip(&s, p), s.strip_prefix(p), "{s:?} {p:?}");
                }
            }
        }
    }
}

#[test]
fn plain_string_items_read_like_the_general_path() {
    // Items with and without references, CR, `_x` escapes and edge whitespace, preserved or not.
    for raw in [
        "山田 太郎",
        "  padded\t",
        "a_b",
        "_x0041_",
        "x&amp;y",
        "a\r\nb",
        "",
        " ",
        "_",
        "tail_x",
        "\u{3000}全角\u{3000}",
    ] {
        for preserve in [false, true] {
            let text = lex::decoded_cow(raw).expect("decoded");
            let s = if preserve {
                &text
            } else {
                text.trim_matches([' ', '\t', '\r', '\n'])
            };
            let mut want = String::new();
            push_unescaped(&mut want, s);
            let mut got = String::from("prefix:");
            push_item_text(&mut got, raw, preserve).expect("item");
            assert_eq!(got, format!("prefix:{want}"), "{raw:?}");
        }
    }
}
