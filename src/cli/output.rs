//! Where results go: standard output, or a pager when it is a terminal.

use super::env::Context;
use std::io::{self, Write};
use std::process::{Child, Command, Stdio};

/// Standard output, possibly through a pager. Call `finish` at the end.
pub struct Output {
    pager: Option<Child>,
    out: Box<dyn Write>,
}

impl Output {
    /// Output for long human text: paged on a terminal unless --no-pager.
    pub fn paged(ctx: &Context) -> Output {
        if let Some(cmd) = &ctx.pager {
            let mut c = Command::new("sh");
            c.arg("-c").arg(cmd).stdin(Stdio::piped());
            if std::env::var_os("LESS").is_none() {
                c.env("LESS", "FRX");
            }
            if std::env::var_os("LV").is_none() {
                c.env("LV", "-c");
            }
            if let Ok(mut child) = c.spawn() {
                if let Some(stdin) = child.stdin.take() {
                    return Output {
                        pager: Some(child),
                        out: Box::new(io::BufWriter::new(stdin)),
                    };
                }
            }
        }
        Output::plain()
    }

    /// Plain standard output.
    pub fn plain() -> Output {
        Output {
            pager: None,
            out: Box::new(io::BufWriter::new(io::stdout())),
        }
    }

    pub fn writer(&mut self) -> &mut dyn Write {
        &mut *self.out
    }

    /// Flushes, closes the pager's input and waits for it.
    pub fn finish(mut self) -> io::Result<()> {
        let flushed = self.out.flush();
        self.out = Box::new(io::sink());
        if let Some(mut child) = self.pager.take() {
            let _ = child.wait();
            // A reader who quits the pager early is not an error.
            return match flushed {
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                other => other,
            };
        }
        flushed
    }
}
