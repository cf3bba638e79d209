//! `policygraph serve`, run as the real binary on a free loopback port: SPARQL
//! clients (Python's SPARQLWrapper and rdflib's `SPARQLStore`, through
//! `tests/tools/serve_check.py`) against the seeds graph, a graph built from a
//! document written for this test, and the refusals (missing store, busy port,
//! bad limits).

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// Status, headers (lower-case names) and body of an HTTP answer.
type Reply = (u16, Vec<(String, String)>, Vec<u8>);

/// A running server, killed (and reaped) when dropped, also when a test fails.
struct Server {
    child: Child,
    port: u16,
    log: tempfile::NamedTempFile,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts `policygraph serve --store STORE --bind 127.0.0.1:PORT ARGS` on a
    /// free port and waits until it answers.
    fn start(store: &Path, args: &[&str]) -> Server {
        // The free port found may be taken by someone else before the server
        // binds it: try a few.
        for _ in 0..5 {
            let port = TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .expect("free port")
                .port();
            let log = tempfile::NamedTempFile::new().expect("log file");
            let child = Command::new(bin())
                .arg("serve")
                .arg("--store")
                .arg(store)
                .arg("--bind")
                .arg(format!("127.0.0.1:{port}"))
                .args(args)
                .current_dir(root())
                .env_remove("POLICYGRAPH_STORE")
                .stdout(Stdio::null())
                .stderr(log.reopen().expect("log file"))
                .spawn()
                .expect("start policygraph serve");
            let mut server = Server { child, port, log };
            let started = Instant::now();
            while started.elapsed() < Duration::from_secs(180) {
                if let Some(status) = server.child.try_wait().expect("server status") {
                    let log = server.log_text();
                    if log.contains("cannot listen") {
                        break; // port taken meanwhile: next port
                    }
                    panic!("server exited ({status}) before answering:\n{log}");
                }
                if let Ok((200, _, _)) = server.try_request("GET", "/", &[], b"") {
                    return server;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            if server.child.try_wait().expect("server status").is_none() {
                panic!("server not answering after 180 s:\n{}", server.log_text());
            }
        }
        panic!("no free port to serve on");
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap_or_default()
    }

    /// One HTTP/1.1 request on a fresh connection: status, headers (lower-case
    /// names) and the body (chunked transfer decoded).
    fn try_request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> std::io::Result<Reply> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port))?;
        stream.set_read_timeout(Some(Duration::from_secs(60)))?;
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.port,
            body.len()
        );
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes())?;
        stream.write_all(body)?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw)?;
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .ok_or_else(|| std::io::Error::other("no end of headers"))?;
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut lines = head.split("\r\n");
        let status: u16 = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| std::io::Error::other("no status"))?;
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let mut body = raw[split + 4..].to_vec();
        if headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"))
        {
            body = dechunk(&body);
        }
        Ok((status, headers, body))
    }

    fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> (u16, Vec<(String, String)>, String) {
        let (status, headers, body) = self
            .try_request(method, path, headers, body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}\n{}", self.log_text()));
        (status, headers, String::from_utf8_lossy(&body).into_owned())
    }
}

/// Decodes a chunked transfer-encoded body.
fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("chunk size line");
        let size_text = String::from_utf8_lossy(&data[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16)
            .expect("chunk size");
        data = &data[line_end + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Percent-encodes a query parameter.
fn enc(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[test]
fn sparql_clients_on_the_seeds_graph() {
    let (timeout, max_body, max_results) = ("3", "4096", "100");
    let server = Server::start(
        seeds_store(),
        &[
            "--timeout-seconds",
            timeout,
            "--max-body-bytes",
            max_body,
            "--max-results",
            max_results,
        ],
    );
    let pid = server.child.id().to_string();
    let base = server.base();
    let o = Command::new("python3")
        .args([
            "tests/tools/serve_check.py",
            &base,
            "--pid",
            &pid,
            "--timeout",
            timeout,
            "--max-body",
            max_body,
            "--max-results",
            max_results,
            "--queries",
            "queries",
        ])
        .current_dir(root())
        .output()
        .expect("python3 is needed by this test (with pip packages SPARQLWrapper and rdflib)");
    assert!(
        o.status.success(),
        "serve_check.py failed (exit {:?}; exit 3 = pip install SPARQLWrapper rdflib):\n{}{}\nserver log:\n{}",
        o.status.code(),
        stdout(&o),
        stderr(&o),
        server.log_text()
    );
    assert!(stdout(&o).contains("checks passed"), "{}", stdout(&o));
    let log = server.log_text();
    assert!(log.contains("was cancelled"), "no timeout logged:\n{log}");
    assert!(log.contains("read-only"), "no start line:\n{log}");
}

/// A council text written for this test (not from the seeds): served, its facts
/// are found through the protocol, in its own graph and in the union.
#[test]
fn serves_a_graph_built_from_a_new_document() {
    let dir = tempdir();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    std::fs::write(
        docs.join("connectivity-note.txt"),
        "Council of the European Union\nBrussels, 3 March 2026\n\n\
         Council conclusions on secure connectivity in the Indo-Pacific\n\n\
         1. The Council welcomes the Digital Partnership between the European Union and Singapore \
         and calls for closer cooperation on submarine cables.\n\n\
         2. The European Union will continue to take part in the Internet Governance Forum.\n",
    )
    .unwrap();
    let store = dir.path().join("store");
    build_quiet(&docs, &store, &[]);
    let server = Server::start(&store, &[]);

    let partners = "SELECT ?partner WHERE { ?eu pg:partnersWith ?partner }";
    let (status, headers, body) = server.request(
        "GET",
        &format!("/query?query={}", enc(partners)),
        &[("Accept", "text/csv")],
        b"",
    );
    assert_eq!(status, 200, "{body}");
    assert!(
        header(&headers, "content-type")
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        body.contains("https://w3id.org/policygraph/id/country/sgp"),
        "{body}"
    );
    assert_eq!(header(&headers, "access-control-allow-origin"), Some("*"));

    // The facts live in the document's graph, not in the ontology's.
    let graph = "https://w3id.org/policygraph/id/graph/connectivity-note";
    let fact = "ASK { ?eu pg:participatesIn ?forum }";
    let in_graph = |g: &str| {
        let (status, _, body) = server.request(
            "POST",
            &format!("/query?default-graph-uri={}", enc(g)),
            &[
                ("Content-Type", "application/sparql-query"),
                ("Accept", "application/sparql-results+json"),
            ],
            fact.as_bytes(),
        );
        assert_eq!(status, 200, "{body}");
        body.contains("true")
    };
    assert!(in_graph(graph));
    assert!(!in_graph("https://w3id.org/policygraph/id/graph/ontology"));
    // The union joins the fact with the forum's label from the entities graph.
    let labelled =
        "SELECT ?name WHERE { ?eu pg:participatesIn ?forum . ?forum skos:prefLabel ?name }";
    let (_, _, body) = server.request("GET", &format!("/query?query={}", enc(labelled)), &[], b"");
    assert!(body.contains("Internet Governance Forum"), "union: {body}");

    // Graph Store Protocol: the document's graph, streamed; an unknown one is 404.
    let (status, headers, body) = server.request(
        "GET",
        &format!("/store?graph={}", enc(graph)),
        &[("Accept", "application/n-triples")],
        b"",
    );
    assert_eq!(status, 200);
    assert_eq!(
        header(&headers, "content-type"),
        Some("application/n-triples")
    );
    assert!(body.lines().count() > 50, "{body}");
    assert!(
        body.contains("<https://w3id.org/policygraph/id/country/sgp>"),
        "graph without the partner"
    );
    let (status, _, body) = server.request(
        "GET",
        "/store?graph=https%3A%2F%2Fexample.org%2Fnone",
        &[],
        b"",
    );
    assert_eq!(status, 404, "{body}");

    // The default limits are on the page.
    let (status, _, page) = server.request("GET", "/", &[], b"");
    assert_eq!(status, 200);
    assert!(
        page.contains("cancelled after 30 s") && page.contains("100000 rows"),
        "{page}"
    );
    assert!(page.contains("quads in 3 named graphs"), "{page}");
}

#[test]
fn refuses_a_missing_store() {
    let dir = tempdir();
    let o = run(&[
        "serve",
        "--store",
        dir.path().join("none").to_str().unwrap(),
        "--bind",
        "127.0.0.1:0",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("no store here"), "{}", stderr(&o));
}

#[test]
fn refuses_a_busy_port() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let o = run(&[
        "serve",
        "--store",
        seeds_store().to_str().unwrap(),
        "--bind",
        &format!("127.0.0.1:{port}"),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("cannot listen on"), "{}", stderr(&o));
    drop(taken);
}

#[test]
fn refuses_bad_limits() {
    for args in [
        ["--timeout-seconds", "0"],
        ["--max-results", "0"],
        ["--max-body-bytes", "-1"],
    ] {
        let mut all = vec!["serve", "--store", "nowhere"];
        all.extend_from_slice(&args);
        let o = run(&all);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    }
    let store = seeds_store().to_str().unwrap();
    let o = run(&["serve", "--store", store, "--bind", "not an address"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("--bind not an address"),
        "{}",
        stderr(&o)
    );
}
