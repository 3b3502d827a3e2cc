//! PDF to text through poppler's `pdftotext`, run as a child process with a
//! time limit; its output is capped like any input.

use super::walk::normalize;
use super::CaptureError;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The program run, and how.
const PROGRAM: &str = "pdftotext";

/// The text of a PDF, and the extractor's name and version.
pub fn pdf_text(
    pdf: &[u8],
    source: &str,
    timeout: Duration,
    max_bytes: u64,
) -> Result<(String, String), CaptureError> {
    let fail = |reason: String| CaptureError::Pdf {
        origin: source.to_string(),
        reason,
    };
    let mut child = Command::new(PROGRAM)
        .args(["-enc", "UTF-8", "-nopgbrk", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => CaptureError::PdftotextMissing,
            _ => fail(format!("cannot run {PROGRAM}: {e}")),
        })?;
    let (Some(mut stdin), Some(stdout), Some(mut stderr)) =
        (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(fail("cannot talk to pdftotext".into()));
    };
    let output = std::thread::scope(|s| {
        // A child that stops reading must not block the writer forever: the
        // pipe closes when the child is killed.
        s.spawn(move || {
            let _ = stdin.write_all(pdf);
        });
        let reader = s.spawn(move || {
            let mut out = Vec::new();
            let r = stdout.take(max_bytes + 1).read_to_end(&mut out);
            r.map(|_| out)
        });
        let err_reader = s.spawn(move || {
            let mut err = Vec::new();
            let _ = (&mut stderr).take(64 * 1024).read_to_end(&mut err);
            err
        });
        let started = Instant::now();
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Ok(status),
                Ok(None) if started.elapsed() >= timeout => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break Err(CaptureError::PdfTimeout {
                        origin: source.to_string(),
                        secs: timeout.as_secs(),
                    });
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(10)),
                Err(e) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break Err(fail(format!("waiting for pdftotext failed: {e}")));
                }
            }
        };
        let out = reader.join();
        let err = err_reader.join().unwrap_or_default();
        (status, out, err)
    });
    let (status, out, err) = output;
    let status = status?;
    let out = match out {
        Ok(Ok(out)) => out,
        _ => return Err(fail("cannot read pdftotext's output".into())),
    };
    if !status.success() {
        let msg = String::from_utf8_lossy(&err);
        let first = msg
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("no message");
        return Err(fail(format!(
            "pdftotext exited with {status}: {}",
            first.trim()
        )));
    }
    if out.len() as u64 > max_bytes {
        return Err(CaptureError::TooLarge {
            origin: source.to_string(),
            limit_mib: max_bytes / (1024 * 1024),
        });
    }
    let text = String::from_utf8_lossy(&out);
    Ok((tidy(&text), format!("pdftotext {}", version())))
}

/// pdftotext's lines, with runs of blank lines made one blank line.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        if line.trim().is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line.trim_end());
    }
    normalize(&out)
}

/// `pdftotext -v`'s version number, or `unknown`.
fn version() -> String {
    let out = Command::new(PROGRAM)
        .arg("-v")
        .stdin(Stdio::null())
        .output();
    let text = match out {
        Ok(o) => {
            String::from_utf8_lossy(&o.stderr).into_owned() + &String::from_utf8_lossy(&o.stdout)
        }
        Err(_) => String::new(),
    };
    text.lines()
        .find_map(|l| l.strip_prefix("pdftotext version "))
        .map(|v| v.trim().to_string())
        .filter(|v| {
            v.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        })
        .unwrap_or_else(|| "unknown".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_keeps_paragraphs() {
        assert_eq!(tidy("a\nb  \n\n\n\nc\n\n"), "a\nb\n\nc\n");
    }
}
