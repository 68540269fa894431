//! PDF text. The simplest PDFs are read on the calling thread by our own bounded reader
//! ([`super::pdf_parse`], no handoff); otherwise the simple-PDF fast path and pdf-extract run
//! in a worker thread inside `catch_unwind` (pdf-extract panics on some malformed files; both
//! parse hostile input) and the worker is abandoned after the time limit (a Rust thread cannot
//! be killed; the stuck worker only burns CPU until it returns, and its result is dropped). When Debian's
//! `pdftotext` (poppler-utils) is on PATH it is the fallback for CJK fonts (Identity-H CID
//! fonts, where pdf-extract often yields nothing or U+FFFD) and for files pdf-extract rejects.

use super::{Block, ExtractLimits, NotInspected, NotInspectedReason as R};
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Largest PDF tried on the fast path (bigger ones go straight to pdf-extract).
const FAST_PATH_MAX_BYTES: usize = 1 << 20;

/// Whether the file holds `/Encrypt`, and whether it holds `/Identity-H` or `/Identity-V`:
/// one pass over the `/` bytes (a window comparison at every byte cost ~5 % of reading a
/// small PDF).
fn markers(bytes: &[u8]) -> (bool, bool) {
    let (mut encrypt, mut identity) = (false, false);
    let mut from = 0;
    while let Some(i) = bytes
        .get(from..)
        .and_then(|r| r.iter().position(|&b| b == b'/'))
    {
        let name = &bytes[from + i + 1..];
        encrypt |= name.starts_with(b"Encrypt");
        identity |= name.starts_with(b"Identity-H") || name.starts_with(b"Identity-V");
        if encrypt && identity {
            break;
        }
        from += i + 1;
    }
    (encrypt, identity)
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
    let (encrypted, cjk_fonts) = markers(bytes);
    let try_fast = !encrypted && !cjk_fonts && bytes.len() <= FAST_PATH_MAX_BYTES;
    if try_fast
        && limits.pdf_timeout >= IN_THREAD_MIN_TIMEOUT
        && let Some(text) = in_thread_fast_path(bytes)
    {
        return Ok(vec![Block::Text(text)]);
    }
    let primary = match run_pdf_worker(bytes, limits.pdf_timeout, try_fast) {
        Ok(Worked::Fast(text)) => return Ok(vec![Block::Text(text)]),
        Ok(Worked::PdfExtract(text)) => Ok(text),
        Err(e) => Err(e),
    };
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

/// Shortest time limit under which a PDF is read on the calling thread: the in-thread reader
/// ([`super::pdf_parse`]) is bounded by construction to far less than this on its largest
/// input; a shorter limit is only kept by the worker.
const IN_THREAD_MIN_TIMEOUT: Duration = Duration::from_secs(1);

/// The fast path on the calling thread, for the simplest PDFs ([`super::pdf_parse`] reads
/// them into the document and operations lopdf would build; the replay is ours), inside
/// `catch_unwind`; the text when non-empty. `None` sends the PDF to the worker, which tries the fast path again
/// with lopdf's own loader and then pdf-extract — so the answer is the worker's.
fn in_thread_fast_path(bytes: &[u8]) -> Option<String> {
    std::panic::catch_unwind(|| {
        super::pdf_parse::load(bytes)
            .and_then(|doc| super::pdf_fast::document_text_with(&doc, super::pdf_parse::content))
    })
    .ok()
    .flatten()
    .filter(|t| !t.trim().is_empty())
}

/// Which reader produced a PDF's text.
enum Worked {
    /// The simple-PDF fast path (non-empty text).
    Fast(String),
    /// pdf-extract (possibly empty or unusable text; the caller decides).
    PdfExtract(String),
}

/// One PDF for the worker: its bytes and whether the fast path may try it.
type Job = (Vec<u8>, bool);
/// The worker's answer: `Err` when it panicked, `Ok(Err)` when pdf-extract refused the file.
type Answer = std::thread::Result<Result<Worked, String>>;

/// A long-lived PDF thread of the calling thread: starting a thread per PDF made the 256 MiB
/// scope benchmark cost ~30 % more CPU (README, "Speed and memory").
struct Worker {
    jobs: mpsc::Sender<Job>,
    answers: mpsc::Receiver<Answer>,
}

impl Worker {
    fn start() -> std::io::Result<Self> {
        let (jobs, job_rx) = mpsc::channel::<Job>();
        let (answer_tx, answers) = mpsc::channel::<Answer>();
        std::thread::Builder::new()
            .name("pdf-extract".into())
            .spawn(move || {
                for (data, try_fast) in job_rx {
                    // The caller may have given up after the time limit and dropped its end:
                    // then this worker is done.
                    if answer_tx.send(read_pdf(&data, try_fast)).is_err() {
                        break;
                    }
                }
            })?;
        Ok(Self { jobs, answers })
    }
}

/// The worker's job: the fast path when allowed (a panic or `None` there falls through), then
/// pdf-extract, each inside `catch_unwind`.
fn read_pdf(data: &[u8], try_fast: bool) -> Answer {
    if try_fast
        && let Ok(Some(text)) = std::panic::catch_unwind(|| super::pdf_fast::simple_pdf_text(data))
        && !text.trim().is_empty()
    {
        return Ok(Ok(Worked::Fast(text)));
    }
    std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(data))
        .map(|inner| inner.map(Worked::PdfExtract).map_err(|e| e.to_string()))
}

thread_local! {
    static WORKER: std::cell::RefCell<Option<Worker>> = const { std::cell::RefCell::new(None) };
}

/// Reads the PDF on this thread's PDF worker under one time limit. Both readers parse hostile
/// input, so a hang costs the worker, not the scope run: after a time-out the worker is
/// abandoned (a Rust thread cannot be killed; it ends when its read returns) and the next PDF
/// gets a new one.
fn run_pdf_worker(bytes: &[u8], timeout: Duration, try_fast: bool) -> Result<Worked, (R, String)> {
    WORKER.with(|cell| {
        let mut slot = cell.borrow_mut();
        let worker = match slot.take() {
            Some(w) => w,
            None => Worker::start()
                .map_err(|e| (R::Corrupt, format!("cannot start PDF worker: {e}")))?,
        };
        if worker.jobs.send((bytes.to_vec(), try_fast)).is_err() {
            return Err((R::Corrupt, "the PDF worker stopped".into()));
        }
        match worker.answers.recv_timeout(timeout) {
            Ok(answer) => {
                *slot = Some(worker);
                match answer {
                    Ok(Ok(worked)) => Ok(worked),
                    Ok(Err(e)) => Err((R::Corrupt, format!("pdf-extract: {e}"))),
                    Err(_) => Err((R::Corrupt, "pdf-extract panicked on this file".into())),
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => Err((
                R::Timeout,
                format!("reading the PDF exceeded {}s", timeout.as_secs()),
            )),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                Err((R::Corrupt, "the PDF worker stopped".into()))
            }
        }
    })
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

#[cfg(test)]
mod marker_tests {
    #[test]
    fn markers_equal_window_searches() {
        let has = |h: &[u8], n: &[u8]| h.windows(n.len()).any(|w| w == n);
        let samples: [&[u8]; 9] = [
            b"",
            b"/",
            b"/Encrypt",
            b"/Encryp",
            b"x//Identity-V/Encrypt 5 0 R",
            b"/Identity-Hx",
            b"//Identity-",
            b"Encrypt /Identity-H",
            b"<< /Filter /FlateDecode >> /Encrypt/Identity-V",
        ];
        for s in samples {
            let want = (
                has(s, b"/Encrypt"),
                has(s, b"/Identity-H") || has(s, b"/Identity-V"),
            );
            assert_eq!(super::markers(s), want, "{:?}", String::from_utf8_lossy(s));
        }
    }
}
