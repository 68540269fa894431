//! A byte-level splitter that finds the records of a JSON document without parsing it all.
//!
//! serde_json reading from an `io::Read` goes byte by byte through the reader and was the
//! bottleneck (≈20k sign-ins/s). This scanner walks buffered chunks, tracks only strings,
//! escapes and nesting depth, and hands each record's bytes to `serde_json::from_slice`, which
//! is fast. Memory holds one record at a time (plus, for a top-level object, its members outside
//! the record array — an envelope's few metadata fields, or the whole object when it is itself a
//! record).
//!
//! Records are: elements of a top-level array; elements of the `value`/`records` array of a
//! top-level object (Graph pages, Event Hub); or a top-level object without such an array.
//! Several top-level values may follow each other.

use std::io::BufRead;

/// What the splitter found: a record's bytes, or a problem with one.
pub(crate) enum Piece<'a> {
    /// The bytes of one record (or non-record value) in the document.
    Record(&'a [u8]),
    /// A top-level scalar, not a record.
    Scalar,
}

/// Bytes that change the scanner's state inside a record, outside strings.
const STRUCTURAL: [bool; 256] = {
    let mut t = [false; 256];
    t[b'"' as usize] = true;
    t[b'{' as usize] = true;
    t[b'}' as usize] = true;
    t[b'[' as usize] = true;
    t[b']' as usize] = true;
    t
};

const ENVELOPE_KEYS: &[&[u8]] = &[b"value", b"records", b"Value", b"Records"];

#[derive(Default)]
struct State {
    depth: u32,
    in_str: bool,
    esc: bool,
    /// Top-level value is an object (true) or array (false); None between values.
    top_obj: Option<bool>,
    /// Depth inside a record array, when in one.
    rec_depth: Option<u32>,
    in_elem: bool,
    /// The element being collected is a bare scalar (ends at a delimiter).
    elem_scalar: bool,
    elem: Vec<u8>,
    top_buf: Vec<u8>,
    had_array: bool,
    expect_key: bool,
    key: Vec<u8>,
    in_key: bool,
    last_key: Vec<u8>,
    top_scalar: bool,
}

/// Splits the document from `r`, calling `on` per piece. `next_link` is set when a top-level
/// `@odata.nextLink` member is seen. Returns `Err` when the input ends inside a value.
pub(crate) fn split(
    r: &mut dyn BufRead,
    next_link: &mut bool,
    on: &mut dyn FnMut(Piece<'_>) -> std::ops::ControlFlow<()>,
) -> Result<(), String> {
    let mut s = State::default();
    loop {
        let buf = match r.fill_buf() {
            Ok(b) => b,
            Err(e) => return Err(format!("read error: {e}")),
        };
        if buf.is_empty() {
            break;
        }
        let n = buf.len();
        let mut stop = false;
        let mut i = 0;
        // Where in this buffer the element being collected began, when it began here: an
        // element that also ends here is handed on from the buffer, not copied.
        let mut began: Option<usize> = None;
        while i < n {
            // Fast path inside a record object/array: scan with the same rules as `step`
            // (strings, escapes, nesting) without copying, then copy this buffer's part of the
            // element in one go (copying per token cost more than the scan).
            if s.in_elem && !s.elem_scalar {
                let start = i;
                let mut ended = false;
                while i < n {
                    if s.in_str {
                        if s.esc {
                            s.esc = false;
                            i += 1;
                            continue;
                        }
                        match memchr::memchr2(b'"', b'\\', &buf[i..]) {
                            None => i = n,
                            Some(k) => {
                                i += k + 1;
                                if buf[i - 1] == b'\\' {
                                    s.esc = true;
                                } else {
                                    s.in_str = false;
                                }
                            }
                        }
                        continue;
                    }
                    match buf[i..].iter().position(|&b| STRUCTURAL[usize::from(b)]) {
                        None => i = n,
                        Some(k) => {
                            i += k + 1;
                            match buf[i - 1] {
                                b'"' => s.in_str = true,
                                b'{' | b'[' => s.depth += 1,
                                _ => {
                                    s.depth = s.depth.saturating_sub(1);
                                    if Some(s.depth) == s.rec_depth {
                                        ended = true;
                                        break;
                                    }
                                }
                            }
                        }
                    }
                }
                let whole_here = began.is_some_and(|b| b + 1 == start) && s.elem.len() == 1;
                if ended && whole_here {
                    s.in_elem = false;
                    let b = start - 1;
                    if on(Piece::Record(&buf[b..i])).is_break() {
                        stop = true;
                        break;
                    }
                    continue;
                }
                s.elem.extend_from_slice(&buf[start..i]);
                if ended {
                    s.in_elem = false;
                    if on(Piece::Record(&s.elem)).is_break() {
                        stop = true;
                        break;
                    }
                }
                continue;
            }
            let was_in = s.in_elem;
            if step(&mut s, buf[i], next_link, on).is_break() {
                stop = true;
                break;
            }
            if !was_in && s.in_elem {
                began = Some(i);
            }
            i += 1;
        }
        r.consume(n);
        if stop {
            return Ok(());
        }
    }
    if s.in_elem && s.elem_scalar && !s.in_str {
        let _ = on(Piece::Record(&s.elem));
        s.in_elem = false;
    }
    if s.top_scalar {
        let _ = on(Piece::Scalar);
        return Ok(());
    }
    if s.depth > 0 || s.in_elem || s.in_str {
        return Err(
            "the file ends inside a JSON value (truncated?); records after the cut are lost".into(),
        );
    }
    Ok(())
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t')
}

fn step(
    s: &mut State,
    b: u8,
    next_link: &mut bool,
    on: &mut dyn FnMut(Piece<'_>) -> std::ops::ControlFlow<()>,
) -> std::ops::ControlFlow<()> {
    use std::ops::ControlFlow::Continue;
    // Inside an element of a record array.
    if s.in_elem {
        if s.elem_scalar && !s.in_str {
            if is_ws(b) || b == b',' || b == b']' || b == b'}' {
                s.in_elem = false;
                on(Piece::Record(&s.elem))?;
                return structural(s, b, next_link, on);
            }
            s.elem.push(b);
            if b == b'"' {
                s.in_str = true;
            }
            return Continue(());
        }
        s.elem.push(b);
        if s.in_str {
            if s.esc {
                s.esc = false;
            } else if b == b'\\' {
                s.esc = true;
            } else if b == b'"' {
                s.in_str = false;
                if s.elem_scalar && Some(s.depth) == s.rec_depth {
                    s.in_elem = false;
                    return on(Piece::Record(&s.elem));
                }
            }
            return Continue(());
        }
        match b {
            b'"' => s.in_str = true,
            b'{' | b'[' => s.depth += 1,
            b'}' | b']' => {
                s.depth = s.depth.saturating_sub(1);
                if Some(s.depth) == s.rec_depth {
                    s.in_elem = false;
                    return on(Piece::Record(&s.elem));
                }
            }
            _ => {}
        }
        return Continue(());
    }
    structural(s, b, next_link, on)
}

/// Bytes outside record elements: the envelope, or a record array's separators.
fn structural(
    s: &mut State,
    b: u8,
    next_link: &mut bool,
    on: &mut dyn FnMut(Piece<'_>) -> std::ops::ControlFlow<()>,
) -> std::ops::ControlFlow<()> {
    use std::ops::ControlFlow::Continue;
    // Between top-level values.
    if s.top_obj.is_none() && !s.top_scalar {
        match b {
            b'{' => {
                s.top_obj = Some(true);
                s.depth = 1;
                s.top_buf.clear();
                s.top_buf.push(b);
                s.had_array = false;
                s.expect_key = true;
                s.last_key.clear();
            }
            b'[' => {
                s.top_obj = Some(false);
                s.depth = 1;
                s.rec_depth = Some(1);
            }
            _ if is_ws(b) => {}
            _ => s.top_scalar = true,
        }
        return Continue(());
    }
    if s.top_scalar {
        if is_ws(b) {
            s.top_scalar = false;
            return on(Piece::Scalar);
        }
        return Continue(());
    }
    // In a record array, between elements.
    if s.rec_depth == Some(s.depth) && !s.in_str {
        match b {
            b']' => {
                s.depth -= 1;
                s.rec_depth = None;
                if s.top_obj == Some(false) && s.depth == 0 {
                    s.top_obj = None;
                } else if !s.had_array {
                    s.top_buf.push(b);
                }
            }
            b',' => {}
            _ if is_ws(b) => {}
            _ => {
                s.in_elem = true;
                s.elem.clear();
                s.elem.push(b);
                s.elem_scalar = false;
                match b {
                    b'{' | b'[' => s.depth += 1,
                    b'"' => {
                        s.in_str = true;
                        s.elem_scalar = true;
                    }
                    _ => s.elem_scalar = true,
                }
            }
        }
        return Continue(());
    }
    // Inside a top-level object, outside record arrays.
    if !s.had_array {
        s.top_buf.push(b);
    }
    if s.in_str {
        if s.esc {
            s.esc = false;
        } else if b == b'\\' {
            s.esc = true;
            if s.in_key {
                s.key.push(b);
            }
        } else if b == b'"' {
            s.in_str = false;
            if s.in_key {
                s.in_key = false;
                s.expect_key = false;
                s.last_key = std::mem::take(&mut s.key);
                if s.last_key == b"@odata.nextLink" || s.last_key == b"odata.nextLink" {
                    *next_link = true;
                }
            }
        } else if s.in_key {
            s.key.push(b);
        }
        return Continue(());
    }
    match b {
        b'"' => {
            s.in_str = true;
            if s.depth == 1 && s.expect_key {
                s.in_key = true;
                s.key.clear();
            }
        }
        b',' if s.depth == 1 => s.expect_key = true,
        b'[' if s.depth == 1 && ENVELOPE_KEYS.contains(&s.last_key.as_slice()) => {
            s.depth = 2;
            s.rec_depth = Some(2);
            s.had_array = true;
        }
        b'{' | b'[' => s.depth += 1,
        b'}' | b']' => {
            s.depth = s.depth.saturating_sub(1);
            if s.depth == 0 {
                s.top_obj = None;
                if !s.had_array {
                    on(Piece::Record(&s.top_buf))?;
                }
            }
        }
        _ => {}
    }
    Continue(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ops::ControlFlow;

    /// The pieces of `text`, read through buffers of several sizes: records that lie inside
    /// one buffer (handed on in place) and records cut across buffers (collected) must agree.
    fn pieces(text: &str) -> (Vec<String>, Result<(), String>, bool) {
        let first = pieces_with(text, 7);
        for cap in [1, 16, 64 * 1024] {
            assert_eq!(pieces_with(text, cap), first, "buffer of {cap} bytes");
        }
        first
    }

    fn pieces_with(text: &str, cap: usize) -> (Vec<String>, Result<(), String>, bool) {
        let mut out = Vec::new();
        let mut nl = false;
        let mut rd = std::io::BufReader::with_capacity(cap, text.as_bytes());
        let r = split(&mut rd, &mut nl, &mut |p| {
            out.push(match p {
                Piece::Record(b) => String::from_utf8_lossy(b).into_owned(),
                Piece::Scalar => "<scalar>".into(),
            });
            ControlFlow::Continue(())
        });
        (out, r, nl)
    }

    #[test]
    fn shapes() {
        let (p, r, nl) = pieces(
            r#"{"@odata.context":"x","value":[{"a":"]}\"{"},{"b":[1,{"c":2}]}],"@odata.nextLink":"y"}"#,
        );
        assert_eq!(p, vec![r#"{"a":"]}\"{"}"#, r#"{"b":[1,{"c":2}]}"#]);
        assert!(r.is_ok() && nl);
        let (p, _, _) = pieces(" [ {\"a\":1} , 2, \"s\" ,null]\n[{\"b\":2}]");
        assert_eq!(p, vec!["{\"a\":1}", "2", "\"s\"", "null", "{\"b\":2}"]);
        let (p, _, _) = pieces(
            "{\"id\":\"x\",\"Value\":\"v\",\"n\":{\"value\":[1]}}\n{\"records\":[{\"z\":1}]}",
        );
        assert_eq!(
            p,
            vec![
                "{\"id\":\"x\",\"Value\":\"v\",\"n\":{\"value\":[1]}}",
                "{\"z\":1}"
            ]
        );
        let (p, r, _) = pieces("{\"value\":[{\"a\":1},{\"a\":");
        assert_eq!(p.len(), 1);
        assert!(r.is_err());
        let (p, r, _) = pieces("null 7");
        assert_eq!(p, vec!["<scalar>", "<scalar>"]);
        assert!(r.is_ok());
        let (_, r, _) = pieces("]]]}}}");
        assert!(r.is_ok());
    }
}
