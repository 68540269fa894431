//! Unix MBOX (mboxo and mboxrd), streamed one message at a time.
//!
//! A message starts at a `From ` line at the start of the file or after an empty line, or at
//! any line shaped like a full envelope (`From addr Mon Oct 13 09:00:00 2025`).
//! Body lines escaped as `>From ` (mboxo) or `>>From ` (mboxrd) lose one `>`, which restores
//! the original for mboxrd and the common case for mboxo. Only the current message is held in
//! memory, so reading a multi-GB export stays flat.

use std::io::BufRead;

use model::RecordError;

use crate::message::MailMessage;
use crate::parse::{Origin, parse_message};

/// Iterator over the messages of one MBOX stream.
pub struct MboxReader<R> {
    input: R,
    source: String,
    folder: Option<String>,
    line: Vec<u8>,
    current: Vec<u8>,
    in_message: bool,
    prev_blank: bool,
    index: u64,
    done: bool,
}

impl<R: BufRead> MboxReader<R> {
    /// Reads MBOX data from `input`; `source` names it in provenance and errors, `folder` is
    /// recorded on every message.
    pub fn new(input: R, source: &str, folder: Option<&str>) -> Self {
        Self {
            input,
            source: source.to_string(),
            folder: folder.map(str::to_string),
            line: Vec::with_capacity(256),
            current: Vec::with_capacity(64 * 1024),
            in_message: false,
            prev_blank: true,
            index: 0,
            done: false,
        }
    }

    fn finish(&mut self) -> Option<Result<MailMessage, RecordError>> {
        if !self.in_message {
            return None;
        }
        // the empty line before the next `From ` separates messages; it is not content
        if self.current.ends_with(b"\r\n\r\n") {
            self.current.truncate(self.current.len() - 2);
        } else if self.current.ends_with(b"\n\n") {
            self.current.truncate(self.current.len() - 1);
        }
        let index = self.index;
        self.index += 1;
        self.in_message = false;
        let origin = Origin {
            source: &self.source,
            record: index,
            format: "mbox",
            folder: self.folder.as_deref(),
        };
        let out = if self.current.iter().all(|b| b.is_ascii_whitespace()) {
            Err(RecordError::new(
                &self.source,
                index,
                "empty message after From line",
            ))
        } else {
            parse_message(&self.current, origin)
                .ok_or_else(|| RecordError::new(&self.source, index, "no RFC 5322 message found"))
        };
        self.current.clear();
        Some(out)
    }
}

fn is_blank(line: &[u8]) -> bool {
    line == b"\n" || line == b"\r\n"
}

/// True for a full envelope line (`From addr Mon Oct 13 09:00:00 2025`): some writers omit
/// the empty line before it, and a body line of this exact shape is vanishingly rare (and is
/// escaped by mboxrd writers anyway).
fn looks_like_envelope(line: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(line) else {
        return false;
    };
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let has_time = tokens.iter().any(|t| {
        let parts: Vec<&str> = t.split(':').collect();
        (parts.len() == 2 || parts.len() == 3)
            && parts
                .iter()
                .all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()))
    });
    let has_year = tokens
        .iter()
        .skip(2)
        .any(|t| t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()));
    tokens.len() >= 6 && has_time && has_year
}

/// `>From `, `>>From `, … → one `>` fewer.
fn unescaped(line: &[u8]) -> &[u8] {
    let quotes = line.iter().take_while(|b| **b == b'>').count();
    if quotes > 0 && line[quotes..].starts_with(b"From ") {
        &line[1..]
    } else {
        line
    }
}

/// What one input line did to the reader's state.
enum LineEvent {
    /// A `From ` separator: the message before it is complete.
    Separator,
    /// Content (appended to the current message) or a skipped blank line before any message.
    Content,
}

/// Applies one line (with its line ending) to the message being assembled.
fn on_line(
    line: &[u8],
    current: &mut Vec<u8>,
    prev_blank: &mut bool,
    in_message: &mut bool,
) -> LineEvent {
    if line.starts_with(b"From ") && (*prev_blank || looks_like_envelope(line)) {
        *prev_blank = false;
        return LineEvent::Separator;
    }
    if !*in_message {
        if is_blank(line) {
            return LineEvent::Content;
        }
        // content before any `From ` line: treat the stream as starting a message
        *in_message = true;
    }
    *prev_blank = is_blank(line);
    current.extend_from_slice(unescaped(line));
    LineEvent::Content
}

/// What reading the next line gave.
enum Step {
    Line(LineEvent),
    /// Part of a line (no newline in the buffer yet), kept in `line`.
    Partial,
    Eof,
}

impl<R: BufRead> Iterator for MboxReader<R> {
    type Item = Result<MailMessage, RecordError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        loop {
            // Lines are taken straight from the reader's buffer and copied once, into the
            // message; only a line cut by the buffer's end is assembled in `self.line`.
            let (consumed, step) = match self.input.fill_buf() {
                Err(e) => {
                    self.done = true;
                    let index = self.index;
                    return Some(Err(RecordError::new(
                        &self.source,
                        index,
                        format!("read error: {e}"),
                    )));
                }
                Ok([]) if self.line.is_empty() => (0, Step::Eof),
                // the last line has no line ending
                Ok([]) => (
                    0,
                    Step::Line(on_line(
                        &self.line,
                        &mut self.current,
                        &mut self.prev_blank,
                        &mut self.in_message,
                    )),
                ),
                Ok(buf) => match memchr::memchr(b'\n', buf) {
                    Some(i) if self.line.is_empty() => (
                        i + 1,
                        Step::Line(on_line(
                            &buf[..=i],
                            &mut self.current,
                            &mut self.prev_blank,
                            &mut self.in_message,
                        )),
                    ),
                    Some(i) => {
                        self.line.extend_from_slice(&buf[..=i]);
                        (
                            i + 1,
                            Step::Line(on_line(
                                &self.line,
                                &mut self.current,
                                &mut self.prev_blank,
                                &mut self.in_message,
                            )),
                        )
                    }
                    None => {
                        self.line.extend_from_slice(buf);
                        (buf.len(), Step::Partial)
                    }
                },
            };
            self.input.consume(consumed);
            match step {
                Step::Partial => continue,
                Step::Eof => {
                    self.done = true;
                    return self.finish();
                }
                Step::Line(event) => {
                    self.line.clear();
                    if let LineEvent::Separator = event {
                        let finished = self.finish();
                        self.in_message = true;
                        if finished.is_some() {
                            return finished;
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(data: &str) -> Vec<MailMessage> {
        MboxReader::new(data.as_bytes(), "t.mbox", Some("受信トレイ"))
            .map(|r| r.expect("message"))
            .collect()
    }

    #[test]
    fn splits_messages_and_unescapes_from_lines() {
        let data = "From a@example.jp Mon Jan  1 00:00:00 2024\nSubject: one\nMessage-ID: <1@x>\n\nline\n>From here\n>>From there\n\nFrom b@example.jp Mon Jan  1 00:00:00 2024\nSubject: two\n\nbody two\n";
        let msgs = read_all(data);
        assert_eq!(msgs.len(), 2);
        assert_eq!(msgs[0].subject.as_deref(), Some("one"));
        assert_eq!(msgs[0].text_body, "line\nFrom here\n>From there\n");
        assert_eq!(msgs[1].subject.as_deref(), Some("two"));
        assert_eq!(msgs[1].record, 1);
        assert_eq!(msgs[0].folder.as_deref(), Some("受信トレイ"));
    }

    #[test]
    fn from_inside_a_paragraph_is_not_a_separator() {
        let data =
            "From a Mon Jan  1 00:00:00 2024\nSubject: one\n\ntext\nFrom the start it was so\n";
        let msgs = read_all(data);
        assert_eq!(msgs.len(), 1);
        assert!(msgs[0].text_body.contains("From the start"));
    }

    #[test]
    fn envelope_lines_without_a_blank_line_before_still_split() {
        let data = "From a Mon Jan  1 00:00:00 2024\nSubject: one\n\nbody\nFrom b@example.jp Tue Jan  2 10:11:12 2024\nSubject: two\n\nx\n";
        let msgs = read_all(data);
        assert_eq!(msgs.len(), 2);
        assert_eq!(msgs[1].subject.as_deref(), Some("two"));
    }

    #[test]
    fn lines_cut_by_the_read_buffer_give_the_same_messages() {
        // Every buffer size cuts lines somewhere else, including inside `From ` and `>From `
        // lines, CRLF pairs, and a last line without a line ending.
        let data = "\n\nFrom a Mon Jan  1 00:00:00 2024\r\nSubject: one\r\n\r\nx\r\n>From y\r\n\r\n\
From b@example.jp Tue Jan  2 10:11:12 2024\nSubject: two\n\nbody\nFrom the start\n\
From c@example.jp Tue Jan  2 10:11:12 2024\nSubject: three\n\nno newline at the end";
        let summary = |cap: usize| -> Vec<(Option<String>, String, u64)> {
            MboxReader::new(
                std::io::BufReader::with_capacity(cap, data.as_bytes()),
                "t",
                None,
            )
            .map(|r| r.expect("message"))
            .map(|m| (m.subject, m.text_body, m.size))
            .collect()
        };
        let whole = summary(1 << 16);
        assert_eq!(whole.len(), 3);
        assert_eq!(whole[0].1, "x\r\nFrom y\r\n");
        assert_eq!(whole[2].1, "no newline at the end");
        for cap in 1..40 {
            assert_eq!(summary(cap), whole, "buffer of {cap} bytes");
        }
    }

    #[test]
    fn a_last_from_line_without_content_is_an_error() {
        let data =
            "From a Mon Jan  1 00:00:00 2024\nSubject: one\n\nx\n\nFrom b Mon Jan  1 00:00:00 2024";
        let got: Vec<_> = MboxReader::new(data.as_bytes(), "t.mbox", None).collect();
        assert_eq!(got.len(), 2);
        assert!(got[0].is_ok());
        let err = got[1].as_ref().expect_err("empty message");
        assert!(err.to_string().contains("empty message"), "{err}");
    }

    #[test]
    fn crlf_mbox_is_read() {
        let data = "From a Mon Jan  1 00:00:00 2024\r\nSubject: one\r\n\r\nx\r\n\r\nFrom b Mon Jan  1 00:00:00 2024\r\nSubject: two\r\n\r\ny\r\n";
        let msgs = read_all(data);
        assert_eq!(msgs.len(), 2);
        assert_eq!(msgs[1].subject.as_deref(), Some("two"));
    }
}
