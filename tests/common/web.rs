//! A small HTTP/1.1 server on 127.0.0.1 for capture tests (no other
//! network), and web pages built around the seed statement with changing
//! page chrome.

use super::{Env, Run};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const STATEMENT: &str = include_str!("../capture/statement.txt");
pub const BOILERPLATE: &str = include_str!("../capture/boilerplate.txt");
pub const TITLE: &str =
    "United States-Japan-Republic of Korea Trilateral Ministerial Meeting Unilateral Press Statement";

/// What the server answers on one path.
#[derive(Clone)]
pub enum Reply {
    /// A status, headers and a body, then the connection closes.
    Full {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Headers promising a long body, a little of it, then silence for a
    /// while (longer than the client's timeout), then close.
    Stall,
    /// A body sent with no length, ended by closing the connection.
    Unsized { body: Arc<Vec<u8>> },
    /// An HTML page with an `ETag` and a `Last-Modified`: 304 Not Modified
    /// when the request's `If-None-Match` names the tag.
    Tagged { etag: String, body: Vec<u8> },
}

pub fn html(body: &str) -> Reply {
    page_with("text/html; charset=utf-8", body.as_bytes().to_vec())
}

pub fn page_with(content_type: &str, body: Vec<u8>) -> Reply {
    Reply::Full {
        status: 200,
        headers: vec![("Content-Type".into(), content_type.into())],
        body,
    }
}

pub fn status(code: u16) -> Reply {
    Reply::Full {
        status: code,
        headers: vec![("Content-Type".into(), "text/html".into())],
        body: format!("<html><body><p>Error {code}</p></body></html>").into_bytes(),
    }
}

/// An HTML page sent gzip-encoded.
pub fn gzipped(body: Vec<u8>) -> Reply {
    Reply::Full {
        status: 200,
        headers: vec![
            ("Content-Type".into(), "text/html".into()),
            ("Content-Encoding".into(), "gzip".into()),
        ],
        body,
    }
}

pub fn redirect(to: &str) -> Reply {
    Reply::Full {
        status: 301,
        headers: vec![("Location".into(), to.into())],
        body: Vec::new(),
    }
}

/// A request as the server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub path: String,
    pub headers: HashMap<String, String>,
}

/// A small HTTP/1.1 server on 127.0.0.1: one thread accepting, one per
/// connection; the routes can be changed between requests.
pub struct Server {
    port: u16,
    routes: Arc<Mutex<HashMap<String, Reply>>>,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    pub fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().expect("local addr").port();
        let routes: Arc<Mutex<HashMap<String, Reply>>> = Arc::default();
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let (r, s) = (routes.clone(), seen.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { return };
                let (r, s) = (r.clone(), s.clone());
                std::thread::spawn(move || serve(conn, &r, &s));
            }
        });
        Server { port, routes, seen }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn set(&self, path: &str, reply: Reply) {
        self.routes
            .lock()
            .expect("routes")
            .insert(path.into(), reply);
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("seen").clone()
    }
}

pub fn serve(conn: TcpStream, routes: &Mutex<HashMap<String, Reply>>, seen: &Mutex<Vec<Seen>>) {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(match conn.try_clone() {
        Ok(c) => c,
        Err(_) => return,
    });
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        match reader.read_line(&mut h) {
            Ok(0) | Err(_) => return,
            Ok(_) if h.trim().is_empty() => break,
            Ok(_) => {
                if let Some((k, v)) = h.split_once(':') {
                    headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
                }
            }
        }
    }
    let if_none_match = headers.get("if-none-match").cloned();
    seen.lock().expect("seen").push(Seen {
        path: path.clone(),
        headers,
    });
    let reply = routes
        .lock()
        .expect("routes")
        .get(&path)
        .cloned()
        .unwrap_or_else(|| status(404));
    let mut w = conn;
    match reply {
        Reply::Full {
            status,
            headers,
            body,
        } => {
            let mut head = format!(
                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str("\r\n");
            let _ = w.write_all(head.as_bytes());
            let _ = w.write_all(&body);
        }
        Reply::Stall => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n<html><body><p>";
            let _ = w.write_all(head.as_bytes());
            let _ = w.flush();
            std::thread::sleep(Duration::from_secs(6));
        }
        Reply::Tagged { etag, body } => {
            let (status, body) = if if_none_match.as_deref() == Some(etag.as_str()) {
                ("304 Not Modified", Vec::new())
            } else {
                ("200 OK", body)
            };
            let head = format!("HTTP/1.1 {status}\r\nContent-Type: text/html\r\nETag: {etag}\r\nLast-Modified: Sun, 12 Nov 2023 14:00:00 GMT\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
            let _ = w.write_all(head.as_bytes());
            let _ = w.write_all(&body);
        }
        Reply::Unsized { body } => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n";
            let _ = w.write_all(head.as_bytes());
            let _ = w.write_all(&body);
        }
    }
    let _ = w.flush();
    let _ = w.shutdown(std::net::Shutdown::Both);
}

/// The seed statement's paragraphs as HTML.
pub fn statement_html(statement: &str) -> String {
    statement
        .split("\n\n")
        .map(|p| format!("<p>{}</p>\n", p.trim()))
        .collect()
}

/// A press-release page: site chrome (varying with `day`), the statement in
/// an article, an unrelated boilerplate paragraph in an aside, a footer.
pub fn press_page(statement: &str, day: u32) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{TITLE} &gt; U.S. Department of Defense &gt; Release</title>
<script>window.analytics = {{ day: {day} }};</script><style>p {{ color: #111 }}</style></head>
<body>
<header class="site"><a href="/">U.S. Department of Defense</a><form role="search"><input name="q"> News Search</form></header>
<nav><ul><li><a href="/news">News</a></li><li><a href="/about">About</a></li><li>Trending: item {day}</li></ul></nav>
<main>
<article class="release">
<h1>{TITLE}</h1>
<p class="byline">Published Nov. 12, 2023 | U.S. Department of Defense</p>
<div class="body">
{}</div>
</article>
<aside class="related"><h2>Related</h2><p>{}</p></aside>
</main>
<footer><p>Hosted by Defense Media Activity - WEB.mil. Visited {day} times today.</p></footer>
</body></html>
"#,
        statement_html(statement),
        BOILERPLATE.trim()
    )
}

/// Runs redliner with the guard lifted (the test server is on loopback).
pub fn run(env: &Env, args: &[&str]) -> Run {
    run_with(env, args, &[("REDLINER_ALLOW_PRIVATE", "1")])
}

pub fn run_with(env: &Env, args: &[&str], vars: &[(&str, &str)]) -> Run {
    let mut c = env.command();
    c.args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    for (k, v) in vars {
        c.env(k, v);
    }
    let out = c.output().expect("run redliner");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}
