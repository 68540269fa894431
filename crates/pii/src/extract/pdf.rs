//! PDF text. pdf-extract runs in a worker thread inside `catch_unwind` (it panics on some
//! malformed files) and is abandoned after the time limit (a Rust thread cannot be killed; the
//! stuck worker only burns CPU until it returns, and its result is dropped). When Debian's
//! `pdftotext` (poppler-utils) is on PATH it is the fallback for CJK fonts (Identity-H CID
//! fonts, where pdf-extract often yields nothing or U+FFFD) and for files pdf-extract rejects.

use super::{Block, ExtractLimits, NotInspected, NotInspectedReason as R};
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Largest PDF tried on the in-thread fast path (bigger files keep the time-limited worker).
const FAST_PATH_MAX_BYTES: usize = 1 << 20;

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

pub(super) fn extract_pdf(
    path: &str,
    bytes: &[u8],
    limits: &ExtractLimits,
) -> Result<Vec<Block>, NotInspected> {
    static PDFTOTEXT: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    extract_pdf_with(
        path,
        bytes,
        limits,
        *PDFTOTEXT.get_or_init(|| on_path("pdftotext")),
    )
}

/// [`extract_pdf`] with the availability of `pdftotext` given (tests cover both cases).
///
/// Order: the simple-PDF fast path ([`super::pdf_fast`], same text as pdf-extract) for small
/// unencrypted files without CJK fonts; pdf-extract; when its text is unusable (empty, U+FFFD) or the file uses Identity-H/V
/// CID fonts (CJK: pdf-extract only reads those through a ToUnicode CMap), `pdftotext` if
/// available. A PDF from which neither yields any text is *not inspected* (a scanned image,
/// or CJK text whose CIDs only poppler can map), never a clean file.
pub(super) fn extract_pdf_with(
    path: &str,
    bytes: &[u8],
    limits: &ExtractLimits,
    pdftotext_available: bool,
) -> Result<Vec<Block>, NotInspected> {
    let encrypted = contains(bytes, b"/Encrypt");
    let cjk_fonts = contains(bytes, b"/Identity-H") || contains(bytes, b"/Identity-V");
    if !encrypted && !cjk_fonts && bytes.len() <= FAST_PATH_MAX_BYTES {
        let fast = std::panic::catch_unwind(|| super::pdf_fast::simple_pdf_text(bytes));
        if let Ok(Some(text)) = fast
            && !text.trim().is_empty()
        {
            return Ok(vec![Block::Text(text)]);
        }
    }
    let primary = run_pdf_extract(bytes, limits.pdf_timeout);
    let usable = |t: &str| !t.trim().is_empty() && !t.contains('\u{FFFD}');
    match primary {
        Ok(text) if usable(&text) && !cjk_fonts => Ok(vec![Block::Text(text)]),
        other => {
            if pdftotext_available
                && let Some(t) =
                    pdftotext(bytes, limits.pdf_timeout).filter(|t| !t.trim().is_empty())
            {
                return Ok(vec![Block::Text(t)]);
            }
            match other {
                Ok(text) if !text.trim().is_empty() => Ok(vec![Block::Text(text)]),
                Ok(_) => Err(NotInspected::new(
                    path,
                    R::UnsupportedFormat,
                    if pdftotext_available {
                        "PDF without extractable text (scanned image? no OCR)"
                    } else {
                        "PDF without extractable text: CJK fonts without ToUnicode need \
                         pdftotext (apt-get install poppler-utils); or a scanned image (no OCR)"
                    },
                )),
                Err((R::Corrupt, detail)) if encrypted => {
                    Err(NotInspected::new(path, R::EncryptedPdf, detail))
                }
                Err((reason, detail)) => Err(NotInspected::new(path, reason, detail)),
            }
        }
    }
}

fn run_pdf_extract(bytes: &[u8], timeout: Duration) -> Result<String, (R, String)> {
    let data = bytes.to_vec();
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("pdf-extract".into())
        .spawn(move || {
            let r = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(&data));
            // The receiver may have given up after the time limit; nothing to do then.
            let _ = tx.send(r.map(|inner| inner.map_err(|e| e.to_string())));
        });
    if let Err(e) = spawned {
        return Err((R::Corrupt, format!("cannot start PDF worker: {e}")));
    }
    match rx.recv_timeout(timeout) {
        Ok(Ok(Ok(text))) => Ok(text),
        Ok(Ok(Err(e))) => Err((R::Corrupt, format!("pdf-extract: {e}"))),
        Ok(Err(_)) => Err((R::Corrupt, "pdf-extract panicked on this file".into())),
        Err(_) => Err((
            R::Timeout,
            format!("pdf-extract exceeded {}s", timeout.as_secs()),
        )),
    }
}

fn on_path(exe: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(exe).is_file()))
}

/// Runs `pdftotext -q -enc UTF-8 - -` when present; None when absent, failing or too slow.
fn pdftotext(bytes: &[u8], timeout: Duration) -> Option<String> {
    let mut child = Command::new("pdftotext")
        .args(["-q", "-enc", "UTF-8", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take()?;
    let data = bytes.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&data);
    });
    let mut stdout = child.stdout.take()?;
    let reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stdout, &mut s);
        s
    });
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                let _ = writer.join();
                let out = reader.join().ok()?;
                return status
                    .success()
                    .then(|| String::from_utf8_lossy(&out).into_owned());
            }
            Ok(None) if started.elapsed() < timeout => {
                std::thread::sleep(Duration::from_millis(20))
            }
            _ => {
                tracing::warn!("pdftotext exceeded the time limit; stopping it");
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
}
