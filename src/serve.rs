//! `policygraph serve`: the store as a read-only SPARQL 1.1 Protocol endpoint,
//! modelled on Oxigraph's own server (`oxigraph serve-read-only`).
//!
//! - `/query` (alias `/sparql`): SPARQL 1.1 Protocol queries by GET `?query=`,
//!   POST `application/x-www-form-urlencoded` or POST `application/sparql-query`,
//!   with `default-graph-uri` / `named-graph-uri` (otherwise the default graph is
//!   the union of all graphs, as in [`crate::query::run`]). The answer format is
//!   negotiated from `Accept` over the media types of [`crate::format::FORMATS`]
//!   (SELECT/ASK: SPARQL JSON by default, XML, CSV, TSV, text table;
//!   CONSTRUCT/DESCRIBE: Turtle by default, N-Triples, N-Quads, TriG, RDF/XML,
//!   JSON-LD), or forced with `?format=NAME` (or a media type). GET without a
//!   query returns a SPARQL service description.
//! - `/store`: Graph Store Protocol reads: `?default` is the union of all graphs
//!   (without duplicates), `?graph=IRI` one named graph (404 when unknown), no
//!   parameter the whole dataset (N-Quads, TriG or JSON-LD). Streamed.
//! - `/`: an HTML page with a query form and the saved queries.
//! - Read-only: `/update`, SPARQL Update sent to `/query` and any write to
//!   `/store` are answered 403.
//!
//! Limits, each answered with a clear plain-text HTTP error: request bodies
//! over `max_body_bytes` get 413; a query still running after `timeout` is
//! answered 503 and cancelled through Oxigraph's [`CancellationToken`]. Queries
//! run on their own thread while the connection's thread waits for the answer
//! or the deadline, so the client is answered on time even when the evaluation
//! stops late: Oxigraph checks the token whenever it reads the store, which
//! stops almost every query at once, but a cross product of three or more
//! unconnected patterns can compute for a long time between two reads (such
//! late stops are logged);
//! query answers are cut after `max_results` rows or triples and then carry the
//! header `X-SPARQL-MaxRows: N` (Virtuoso's convention; answers are built in
//! memory before they are sent so that the status and this header can still
//! tell the truth). Every answer carries `Access-Control-Allow-Origin: *` and
//! `OPTIONS` preflights are answered with the allowed request headers (oxhttp
//! 0.3 drops `Access-Control-Allow-Methods` from responses, which is harmless
//! here: GET and POST are CORS-safelisted methods).
//!
//! HTTP is served by [`oxhttp`], the small HTTP/1.1 server Oxigraph uses: one
//! thread per connection (keep-alive), at most `128 × cores` connections at a
//! time, so queries run in parallel on one shared [`oxigraph::store::Store`].

use std::cell::RefCell;
use std::collections::HashSet;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use oxhttp::Server;
use oxhttp::model::header::{
    ACCEPT, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE,
    ACCESS_CONTROL_REQUEST_HEADERS, ALLOW, CONNECTION, CONTENT_TYPE, HOST, VARY,
};
use oxhttp::model::{Body, HeaderValue, Method, Request, Response, StatusCode};
use oxigraph::io::{RdfFormat, RdfSerializer, WriterQuadSerializer};
use oxigraph::model::vocab::rdf;
use oxigraph::model::{
    BlankNode, GraphName, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Triple,
};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{
    CancellationToken, PreparedSparqlQuery, QueryEvaluationError, QueryResults, SparqlEvaluator,
};
use oxigraph::store::{QuadIter, Store as OxStore};

use crate::error::{Error, Result};
use crate::format::{FORMATS, Format, FormatKind};
use crate::query::{saved_queries, saved_query, short, write_table};
use crate::store::Store;
use crate::vocab::PREFIXES;

/// Name of the header set on query answers cut at `max_results`.
pub const MAX_ROWS_HEADER: &str = "x-sparql-maxrows";

/// How much of an over-long request body is still read (and thrown away) after
/// answering 413, so that a client still sending gets to read the answer.
const DRAIN_LIMIT: u64 = 16 << 20;

/// Socket read/write timeout (also how long an idle keep-alive connection lives).
const SOCKET_TIMEOUT: Duration = Duration::from_secs(60);

/// Where and with which limits to serve.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Store directory.
    pub store: PathBuf,
    /// `HOST:PORT` to listen on (every address it resolves to).
    pub bind: String,
    /// Largest accepted request body.
    pub max_body_bytes: u64,
    /// Longest a query may run before it is cancelled.
    pub timeout: Duration,
    /// Most rows or triples in one query answer.
    pub max_results: usize,
}

/// Opens the store, listens on `config.bind` and serves until the process is
/// killed. Prints one line when ready (and a warning first when an address is
/// not a loopback one).
pub fn serve(config: &ServeConfig) -> Result<()> {
    let store = Store::open(&config.store)?;
    let addrs: Vec<SocketAddr> = config
        .bind
        .to_socket_addrs()
        .map_err(|e| Error::Usage(format!("--bind {}: {e}", config.bind)))?
        .collect();
    if addrs.is_empty() {
        return Err(Error::Usage(format!("--bind {}: no address", config.bind)));
    }
    if let Some(open) = addrs.iter().find(|a| !a.ip().is_loopback()) {
        eprintln!(
            "policygraph: warning: listening on {open}, which is not a loopback address: \
             anyone who can reach this machine can query the store"
        );
    }
    let app = Arc::new(App::new(store.inner.clone(), config.clone())?);
    let quads = app.quads;
    let graphs = app.graphs;
    let handler = Arc::clone(&app);
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut server = Server::new(move |request| handler.handle(request))
        .with_global_timeout(SOCKET_TIMEOUT.max(config.timeout + Duration::from_secs(5)))
        .with_server_name(concat!("policygraph/", env!("CARGO_PKG_VERSION")))
        .map_err(|e| Error::Other(e.to_string()))?
        .with_max_concurrent_connections(cores * 128);
    for a in &addrs {
        server = server.bind(*a);
    }
    let running = server
        .spawn()
        .map_err(|e| Error::Other(format!("cannot listen on {}: {e}", config.bind)))?;
    eprintln!(
        "policygraph: serving {} ({quads} quads, {graphs} graphs) read-only at http://{}/ \
         (query timeout {} s, body limit {} bytes, at most {} results)",
        config.store.display(),
        config.bind,
        config.timeout.as_secs_f64(),
        config.max_body_bytes,
        config.max_results
    );
    running
        .join()
        .map_err(|e| Error::Other(format!("server stopped: {e}")))
}

/// What a request asks for, shared by all connection threads.
struct App {
    store: OxStore,
    config: ServeConfig,
    evaluator: SparqlEvaluator,
    /// Cancelled queries whose evaluation has not stopped yet.
    stopping: AtomicUsize,
    /// Where queries run.
    threads: QueryThreads,
    quads: usize,
    graphs: usize,
    /// The saved queries as `(name, about, text)`, read once at start.
    saved: Vec<(String, String, String)>,
}

/// An HTTP error: status and a plain-text message.
#[derive(Debug)]
struct HttpError {
    status: StatusCode,
    message: String,
}

type HttpResult = std::result::Result<Response<Body>, HttpError>;

fn http_error(status: StatusCode, message: impl Into<String>) -> HttpError {
    HttpError {
        status,
        message: message.into(),
    }
}

fn bad_request(message: impl Into<String>) -> HttpError {
    http_error(StatusCode::BAD_REQUEST, message)
}

fn read_only() -> HttpError {
    http_error(
        StatusCode::FORBIDDEN,
        "this SPARQL endpoint is read-only: SPARQL Update and Graph Store writes are not accepted \
         (rebuild the store with `policygraph build` instead)",
    )
}

fn internal(message: impl std::fmt::Display) -> HttpError {
    http_error(StatusCode::INTERNAL_SERVER_ERROR, message.to_string())
}

impl HttpError {
    fn into_response(self) -> Response<Body> {
        // Timeouts (503) are logged where they happen.
        if self.status == StatusCode::INTERNAL_SERVER_ERROR {
            eprintln!("policygraph: {}: {}", self.status, self.message);
        }
        let mut builder = Response::builder()
            .status(self.status)
            .header(CONTENT_TYPE, "text/plain; charset=utf-8");
        if self.status == StatusCode::METHOD_NOT_ALLOWED {
            builder = builder.header(ALLOW, "GET, POST, OPTIONS");
        }
        let mut message = self.message;
        message.push('\n');
        builder.body(Body::from(message)).expect("valid response")
    }
}

fn response(content_type: &str, body: impl Into<Body>) -> Response<Body> {
    Response::builder()
        .header(CONTENT_TYPE, content_type)
        .body(body.into())
        .expect("valid response")
}

/// The `Content-Type` of a format: its media type, with the charset for text.
fn content_type(format: Format) -> String {
    if format.media_type.starts_with("text/") {
        format!("{}; charset=utf-8", format.media_type)
    } else {
        format.media_type.to_string()
    }
}

impl App {
    fn new(store: OxStore, config: ServeConfig) -> Result<App> {
        let mut evaluator = SparqlEvaluator::new();
        for (p, iri) in PREFIXES {
            evaluator = evaluator
                .with_prefix(*p, *iri)
                .map_err(|e| Error::Query(e.to_string()))?;
        }
        let st = |e: oxigraph::store::StorageError| Error::store(&config.store, e);
        let quads = store.len().map_err(st)?;
        let mut graphs = 0;
        for g in store.named_graphs() {
            g.map_err(st)?;
            graphs += 1;
        }
        let saved = saved_queries()
            .into_iter()
            .filter_map(|(name, about)| {
                let text = saved_query(&name)?;
                Some((name, about, text))
            })
            .collect();
        Ok(App {
            store,
            config,
            evaluator,
            stopping: AtomicUsize::new(0),
            threads: QueryThreads::default(),
            quads,
            graphs,
            saved,
        })
    }

    /// Answers one request: CORS preflight, or the route, with CORS headers.
    fn handle(self: &Arc<Self>, request: &mut Request<Body>) -> Response<Body> {
        let mut response = if request.method() == Method::OPTIONS {
            preflight(request)
        } else {
            self.route(request).unwrap_or_else(HttpError::into_response)
        };
        let headers = response.headers_mut();
        headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
        headers.insert(
            ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static(MAX_ROWS_HEADER),
        );
        response
    }

    fn route(self: &Arc<Self>, request: &mut Request<Body>) -> HttpResult {
        let path = request.uri().path().to_string();
        let method = request.method().clone();
        let url_params = parse_params(request.uri().query().unwrap_or("").as_bytes());
        match path.as_str() {
            "/" | "/index.html" => match method {
                Method::GET => self.landing_page(&url_params),
                _ => Err(http_error(
                    StatusCode::METHOD_NOT_ALLOWED,
                    format!("{method} is not allowed on {path}"),
                )),
            },
            "/query" | "/sparql" => match method {
                Method::GET if url_params.is_empty() => self.service_description(request),
                Method::GET => self.query(request, url_params, None),
                Method::POST => {
                    let kind = request_content_type(request)
                        .ok_or_else(|| bad_request("POST without a Content-Type"))?;
                    match kind.as_str() {
                        "application/sparql-query" => {
                            let body = self.read_body(request)?;
                            let text = String::from_utf8(body).map_err(|e| {
                                bad_request(format!("the query is not valid UTF-8: {e}"))
                            })?;
                            self.query(request, url_params, Some(text))
                        }
                        "application/x-www-form-urlencoded" => {
                            let body = self.read_body(request)?;
                            let mut params = url_params;
                            params.extend(parse_params(&body));
                            self.query(request, params, None)
                        }
                        "application/sparql-update" => Err(read_only()),
                        other => Err(http_error(
                            StatusCode::UNSUPPORTED_MEDIA_TYPE,
                            format!(
                                "unsupported Content-Type {other:?}: send application/sparql-query \
                                 or application/x-www-form-urlencoded"
                            ),
                        )),
                    }
                }
                _ => Err(http_error(
                    StatusCode::METHOD_NOT_ALLOWED,
                    format!("{method} is not allowed on {path}: use GET or POST"),
                )),
            },
            "/update" => Err(read_only()),
            "/store" => match method {
                Method::GET => self.graph_store(request, &url_params),
                Method::PUT | Method::POST | Method::DELETE | Method::PATCH => Err(read_only()),
                _ => Err(http_error(
                    StatusCode::METHOD_NOT_ALLOWED,
                    format!("{method} is not allowed on {path}: use GET"),
                )),
            },
            _ => Err(http_error(
                StatusCode::NOT_FOUND,
                format!("nothing at {path}: see / for the query page, /query and /store"),
            )),
        }
    }

    /// The request body, at most `max_body_bytes` of it (else 413).
    fn read_body(&self, request: &mut Request<Body>) -> std::result::Result<Vec<u8>, HttpError> {
        let cap = self.config.max_body_bytes;
        if let Some(len) = request.body().len()
            && len > cap
        {
            return Err(too_large(request, cap, Some(len)));
        }
        let mut body = Vec::new();
        Read::take(request.body_mut(), cap + 1)
            .read_to_end(&mut body)
            .map_err(|e| bad_request(format!("reading the request body: {e}")))?;
        if body.len() as u64 > cap {
            return Err(too_large(request, cap, None));
        }
        Ok(body)
    }

    /// Runs a SPARQL query from the protocol parameters (or the body).
    fn query(
        self: &Arc<Self>,
        request: &Request<Body>,
        params: Vec<(String, String)>,
        body_query: Option<String>,
    ) -> HttpResult {
        if params.iter().any(|(k, _)| k == "update") {
            return Err(read_only());
        }
        let text = match body_query {
            Some(text) => {
                if params.iter().any(|(k, _)| k == "query") {
                    return Err(bad_request(
                        "the query is given both in the body and as the `query` parameter",
                    ));
                }
                text
            }
            None => {
                let mut queries = params.iter().filter(|(k, _)| k == "query");
                match (queries.next(), queries.next()) {
                    (Some((_, q)), None) => q.clone(),
                    (None, _) => return Err(bad_request("missing the `query` parameter")),
                    (Some(_), Some(_)) => {
                        return Err(bad_request("more than one `query` parameter"));
                    }
                }
            }
        };
        let values = |key: &str| -> Vec<&str> {
            params
                .iter()
                .filter(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
                .collect()
        };
        let default_graphs = values("default-graph-uri");
        let named_graphs = values("named-graph-uri");
        let format_params = values("format");

        let token = CancellationToken::new();
        let mut prepared = match self
            .evaluator
            .clone()
            .with_cancellation_token(token.clone())
            .parse_query(&text)
        {
            Ok(q) => q,
            Err(e) => {
                if self.evaluator.clone().parse_update(&text).is_ok() {
                    return Err(read_only());
                }
                return Err(bad_request(format!("SPARQL syntax error: {e}")));
            }
        };
        let iris = |list: &[&str], what: &str| {
            list.iter()
                .map(|i| NamedNode::new(*i).map_err(|e| bad_request(format!("{what} {i:?}: {e}"))))
                .collect::<std::result::Result<Vec<_>, _>>()
        };
        if default_graphs.is_empty() && named_graphs.is_empty() {
            if prepared.dataset().is_default_dataset() {
                prepared.dataset_mut().set_default_graph_as_union();
            }
        } else {
            let d = iris(&default_graphs, "default-graph-uri")?;
            let n = iris(&named_graphs, "named-graph-uri")?;
            prepared
                .dataset_mut()
                .set_default_graph(d.into_iter().map(GraphName::from).collect());
            prepared
                .dataset_mut()
                .set_available_named_graphs(n.into_iter().map(NamedOrBlankNode::from).collect());
        }
        let accept = accept_header(request)?;
        let formats = Formats {
            results: choose_format(&format_params, accept, Want::Results),
            graph: choose_format(&format_params, accept, Want::Graph),
        };

        // The query runs on its own thread so that this connection is answered
        // at the deadline even when the evaluation does not stop at once.
        let slot = Arc::new((Mutex::new(Slot::Running), Condvar::new()));
        let app = Arc::clone(self);
        let (eval_slot, eval_token) = (Arc::clone(&slot), token.clone());
        self.threads
            .run(Box::new(move || {
                let answer = app.evaluate(prepared, &eval_token, formats);
                let mut state = lock(&eval_slot.0);
                if let Slot::Abandoned(cancelled) = *state {
                    let left = app.stopping.fetch_sub(1, Ordering::SeqCst) - 1;
                    let late = cancelled.elapsed();
                    if late > Duration::from_secs(1) {
                        eprintln!(
                            "policygraph: a cancelled query stopped {:.1} s after its deadline \
                             ({left} other cancelled queries still running)",
                            late.as_secs_f64()
                        );
                    }
                } else {
                    *state = Slot::Done(answer);
                    eval_slot.1.notify_one();
                }
            }))
            .map_err(|e| internal(format!("cannot start a query thread: {e}")))?;
        let deadline = Instant::now() + self.config.timeout;
        let mut state = lock(&slot.0);
        while matches!(*state, Slot::Running) {
            let now = Instant::now();
            if now >= deadline {
                token.cancel();
                *state = Slot::Abandoned(now);
                self.stopping.fetch_add(1, Ordering::SeqCst);
                eprintln!(
                    "policygraph: a query ran longer than {} s and was cancelled",
                    self.config.timeout.as_secs_f64()
                );
                return Err(self.timeout_error());
            }
            state = slot
                .1
                .wait_timeout(state, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        let Slot::Done(answer) = std::mem::replace(&mut *state, Slot::Running) else {
            unreachable!("the loop above ends on an answer or returns")
        };
        let answer = answer?;
        let mut response = response(&content_type(answer.format), answer.body);
        response
            .headers_mut()
            .insert(VARY, HeaderValue::from_static("Accept"));
        if answer.truncated {
            response
                .headers_mut()
                .insert(MAX_ROWS_HEADER, HeaderValue::from(self.config.max_results));
        }
        Ok(response)
    }

    /// Evaluates a prepared query and serializes its answer, at most
    /// `max_results` rows or triples of it.
    fn evaluate(
        &self,
        prepared: PreparedSparqlQuery,
        token: &CancellationToken,
        formats: Formats,
    ) -> std::result::Result<Answer, HttpError> {
        let fail = |e: QueryEvaluationError| {
            if token.is_cancelled() || matches!(e, QueryEvaluationError::Cancelled) {
                self.timeout_error()
            } else {
                internal(format!("query evaluation failed: {e}"))
            }
        };
        let results = prepared.on_store(&self.store).execute().map_err(fail)?;
        let max = self.config.max_results;
        let (format, body, truncated) = match results {
            QueryResults::Boolean(b) => {
                let format = formats.results?;
                let mut body = Vec::new();
                match format.kind {
                    FormatKind::Results(f) => {
                        QueryResultsSerializer::from_format(f)
                            .serialize_boolean_to_writer(&mut body, b)
                            .map_err(internal)?;
                    }
                    _ => writeln!(body, "{b}").map_err(internal)?,
                }
                (format, body, false)
            }
            QueryResults::Solutions(solutions) => {
                let format = formats.results?;
                let vars = solutions.variables().to_vec();
                let mut body = Vec::new();
                let mut truncated = false;
                match format.kind {
                    FormatKind::Results(f) => {
                        let mut w = QueryResultsSerializer::from_format(f)
                            .serialize_solutions_to_writer(&mut body, vars)
                            .map_err(internal)?;
                        for (n, s) in solutions.enumerate() {
                            let s = s.map_err(fail)?;
                            if n == max {
                                truncated = true;
                                break;
                            }
                            w.serialize(&s).map_err(internal)?;
                        }
                        w.finish().map_err(internal)?;
                    }
                    _ => {
                        let mut rows = Vec::new();
                        for s in solutions {
                            let s = s.map_err(fail)?;
                            if rows.len() == max {
                                truncated = true;
                                break;
                            }
                            rows.push(
                                vars.iter()
                                    .map(|v| s.get(v).map(short).unwrap_or_default())
                                    .collect::<Vec<_>>(),
                            );
                        }
                        let header: Vec<String> =
                            vars.iter().map(|v| v.as_str().to_string()).collect();
                        write_table(&mut body, &header, &rows).map_err(internal)?;
                    }
                }
                (format, body, truncated)
            }
            QueryResults::Graph(triples) => {
                let format = formats.graph?;
                let FormatKind::Rdf(f) = format.kind else {
                    return Err(internal("graph answer in a non-RDF format"));
                };
                let mut w = rdf_serializer(f).for_writer(Vec::new());
                let mut truncated = false;
                for (n, t) in triples.enumerate() {
                    let t = t.map_err(fail)?;
                    if n == max {
                        truncated = true;
                        break;
                    }
                    w.serialize_triple(&t).map_err(internal)?;
                }
                (format, w.finish().map_err(internal)?, truncated)
            }
        };
        Ok(Answer {
            format,
            body,
            truncated,
        })
    }

    /// 503 for a query cancelled at its deadline.
    fn timeout_error(&self) -> HttpError {
        http_error(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "query timeout: the query ran longer than {} s (the server's --timeout-seconds) \
                 and was cancelled; narrow it down or add a LIMIT",
                self.config.timeout.as_secs_f64()
            ),
        )
    }

    /// Graph Store Protocol GET: `?default`, `?graph=IRI` or the whole dataset.
    fn graph_store(&self, request: &Request<Body>, params: &[(String, String)]) -> HttpResult {
        let default = params.iter().any(|(k, _)| k == "default");
        let graphs: Vec<&str> = params
            .iter()
            .filter(|(k, _)| k == "graph")
            .map(|(_, v)| v.as_str())
            .collect();
        let format_params: Vec<&str> = params
            .iter()
            .filter(|(k, _)| k == "format")
            .map(|(_, v)| v.as_str())
            .collect();
        let accept = accept_header(request)?;
        let (format, source) = match (default, graphs.as_slice()) {
            (true, []) => (
                choose_format(&format_params, accept, Want::Graph)?,
                GraphSource::Union(HashSet::new()),
            ),
            (false, [iri]) => {
                let graph = NamedNode::new(*iri)
                    .map_err(|e| bad_request(format!("graph {iri:?} is not an IRI: {e}")))?;
                let known = self
                    .store
                    .contains_named_graph(graph.as_ref())
                    .map_err(internal)?;
                if !known {
                    return Err(http_error(
                        StatusCode::NOT_FOUND,
                        format!("no graph <{iri}> in the store (GET /store?default is the union)"),
                    ));
                }
                let format = choose_format(&format_params, accept, Want::Graph)?;
                let quads =
                    self.store
                        .quads_for_pattern(None, None, None, Some(graph.as_ref().into()));
                return Ok(stream_graph(format, quads, GraphSource::Named));
            }
            (false, []) => (
                choose_format(&format_params, accept, Want::Dataset)?,
                GraphSource::Dataset,
            ),
            _ => {
                return Err(bad_request(
                    "give either `default` or one `graph=IRI` (or neither, for the whole dataset)",
                ));
            }
        };
        Ok(stream_graph(format, self.store.iter(), source))
    }

    /// `GET /query` without a query: a SPARQL 1.1 service description.
    fn service_description(&self, request: &Request<Body>) -> HttpResult {
        let format = choose_format(&[], accept_header(request)?, Want::Graph)?;
        let FormatKind::Rdf(f) = format.kind else {
            return Err(internal("service description in a non-RDF format"));
        };
        let host = request
            .headers()
            .get(HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost");
        let sd = |local: &str| {
            NamedNode::new_unchecked(format!(
                "http://www.w3.org/ns/sparql-service-description#{local}"
            ))
        };
        let service = NamedOrBlankNode::from(BlankNode::default());
        let mut triples = vec![Triple::new(service.clone(), rdf::TYPE, sd("Service"))];
        if let Ok(endpoint) = NamedNode::new(format!("http://{host}{}", request.uri().path())) {
            triples.push(Triple::new(service.clone(), sd("endpoint"), endpoint));
        }
        triples.push(Triple::new(
            service.clone(),
            sd("supportedLanguage"),
            sd("SPARQL11Query"),
        ));
        triples.push(Triple::new(
            service.clone(),
            sd("feature"),
            sd("UnionDefaultGraph"),
        ));
        for format in FORMATS {
            let iri = match format.kind {
                FormatKind::Rdf(f) => f.iri(),
                FormatKind::Results(f) => f.iri(),
                _ => continue,
            };
            triples.push(Triple::new(
                service.clone(),
                sd("resultFormat"),
                NamedNodeRef::new_unchecked(iri),
            ));
        }
        let mut w = rdf_serializer(f).for_writer(Vec::new());
        for t in &triples {
            w.serialize_triple(t).map_err(internal)?;
        }
        Ok(response(
            &content_type(format),
            w.finish().map_err(internal)?,
        ))
    }

    /// The HTML query page; `?saved=NAME` (or `?query=TEXT`) loads that query
    /// into the form, and `&run` runs it when the page opens.
    fn landing_page(&self, params: &[(String, String)]) -> HttpResult {
        let query = match params.iter().find(|(k, _)| k == "saved") {
            Some((_, name)) => self
                .saved
                .iter()
                .find(|(n, _, _)| n == name)
                .ok_or_else(|| {
                    http_error(StatusCode::NOT_FOUND, format!("no saved query {name:?}"))
                })?
                .2
                .clone(),
            None => params
                .iter()
                .find(|(k, _)| k == "query")
                .map(|(_, q)| q.clone())
                .unwrap_or_else(|| DEFAULT_QUERY.to_string()),
        };
        Ok(response(
            "text/html; charset=utf-8",
            landing_html(self, &query),
        ))
    }
}

/// Answer to a CORS preflight (`OPTIONS`).
fn preflight(request: &Request<Body>) -> Response<Body> {
    let allow_headers = request
        .headers()
        .get(ACCESS_CONTROL_REQUEST_HEADERS)
        .cloned()
        .unwrap_or_else(|| HeaderValue::from_static("Accept, Content-Type"));
    Response::builder()
        .status(StatusCode::NO_CONTENT)
        .header(ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, OPTIONS")
        .header(ACCESS_CONTROL_ALLOW_HEADERS, allow_headers)
        .header(ACCESS_CONTROL_MAX_AGE, "86400")
        .header(ALLOW, "GET, POST, OPTIONS")
        .body(Body::empty())
        .expect("valid response")
}

/// The 413 answer. The rest of the body is read and thrown away when it is at most
/// [`DRAIN_LIMIT`] bytes, so that a client still sending it gets to read the
/// answer and can keep the connection; a longer body is not read and the
/// connection is closed after the answer.
fn too_large(request: &mut Request<Body>, cap: u64, len: Option<u64>) -> HttpError {
    let drained = len.is_none_or(|l| l <= cap.saturating_add(DRAIN_LIMIT)) && {
        let body = request.body_mut();
        io::copy(&mut Read::take(&mut *body, DRAIN_LIMIT), &mut io::sink()).is_ok()
            && body.read(&mut [0]).is_ok_and(|n| n == 0)
    };
    if !drained {
        // oxhttp closes the connection after answering a request that says so.
        *request.body_mut() = Body::empty();
        request
            .headers_mut()
            .insert(CONNECTION, HeaderValue::from_static("close"));
    }
    let size = len.map(|l| format!(" ({l} bytes)")).unwrap_or_default();
    http_error(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!(
            "request body too large{size}: this server accepts at most {cap} bytes (--max-body-bytes)"
        ),
    )
}

/// Decoded `application/x-www-form-urlencoded` pairs (URL query or body).
fn parse_params(bytes: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(bytes)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The request's media type, lower case, without parameters.
fn request_content_type(request: &Request<Body>) -> Option<String> {
    let value = request.headers().get(CONTENT_TYPE)?.to_str().ok()?;
    Some(value.split(';').next()?.trim().to_ascii_lowercase())
}

fn accept_header(request: &Request<Body>) -> std::result::Result<Option<&str>, HttpError> {
    request
        .headers()
        .get(ACCEPT)
        .map(|h| {
            h.to_str()
                .map_err(|_| bad_request("the Accept header is not ASCII"))
        })
        .transpose()
}

/// What kind of answer a format must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    /// SELECT or ASK results.
    Results,
    /// A graph (CONSTRUCT, DESCRIBE, one graph of the store).
    Graph,
    /// Named graphs (the whole store).
    Dataset,
}

impl Want {
    fn accepts(self, f: &Format) -> bool {
        match self {
            Want::Results => matches!(f.kind, FormatKind::Results(_) | FormatKind::Table),
            Want::Graph => matches!(f.kind, FormatKind::Rdf(_)),
            Want::Dataset => f.is_dataset(),
        }
    }

    fn default_format(self) -> Format {
        let name = match self {
            Want::Results => "json",
            Want::Graph => "ttl",
            Want::Dataset => "nq",
        };
        Format::by_name(name).expect("default format in FORMATS")
    }

    fn describe(self) -> &'static str {
        match self {
            Want::Results => "SELECT/ASK results",
            Want::Graph => "a graph",
            Want::Dataset => "named graphs",
        }
    }

    fn formats(self) -> impl Iterator<Item = Format> {
        FORMATS.iter().copied().filter(move |f| self.accepts(f))
    }
}

/// The format for an answer: the first `format` parameter that names one
/// (by name, alias or media type), else the `Accept` header, else the default.
fn choose_format(
    format_params: &[&str],
    accept: Option<&str>,
    want: Want,
) -> std::result::Result<Format, HttpError> {
    let given: Vec<&str> = format_params
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect();
    if !given.is_empty() {
        return given
            .iter()
            .find_map(|v| format_by_param(v, want))
            .ok_or_else(|| {
                bad_request(format!(
                    "format {:?} cannot hold {}; use one of: {}",
                    given.join(", "),
                    want.describe(),
                    Format::names(|f| want.accepts(f))
                ))
            });
    }
    match accept.map(str::trim) {
        None | Some("") => Ok(want.default_format()),
        Some(accept) => Ok(negotiate(accept, want)),
    }
}

/// A `format` parameter value: a name or alias from [`FORMATS`], a media type,
/// or a name other endpoints use for graphs (`xml` = RDF/XML, `json` = JSON-LD,
/// `n3` = Turtle, as SPARQLWrapper sends them).
fn format_by_param(value: &str, want: Want) -> Option<Format> {
    if let Some(f) = Format::by_name(value).filter(|f| want.accepts(f)) {
        return Some(f);
    }
    if value.contains('/') {
        return format_by_media_type(value, want);
    }
    if want != Want::Results {
        let name = match value.to_ascii_lowercase().as_str() {
            "xml" | "rdf+xml" => "rdfxml",
            "json" => "jsonld",
            "n3" => "ttl",
            _ => return None,
        };
        return Format::by_name(name).filter(|f| want.accepts(f));
    }
    None
}

/// The format of a media type: exact match in [`FORMATS`], else Oxigraph's
/// aliases (`application/json`, `text/plain`, `application/x-turtle`, …).
fn format_by_media_type(media_type: &str, want: Want) -> Option<Format> {
    let base = media_type.split(';').next()?.trim();
    if let Some(f) = want
        .formats()
        .find(|f| f.media_type.eq_ignore_ascii_case(base))
    {
        return Some(f);
    }
    if want == Want::Results {
        let r = QueryResultsFormat::from_media_type(base)?;
        want.formats()
            .find(|f| matches!(f.kind, FormatKind::Results(x) if x == r))
    } else {
        let r = RdfFormat::from_media_type(base)?;
        want.formats().find(|f| match (f.kind, r) {
            (FormatKind::Rdf(RdfFormat::JsonLd { .. }), RdfFormat::JsonLd { .. }) => true,
            (FormatKind::Rdf(RdfFormat::Turtle), RdfFormat::N3) => true,
            (FormatKind::Rdf(x), r) => x == r,
            _ => false,
        })
    }
}

/// HTTP content negotiation (RFC 9110 §12.5.1): each format gets the quality of
/// the most specific media range that matches it; the best quality wins, ties
/// going to the more specific match, then to the range listed first, then to
/// the default format. When nothing acceptable is offered the header is
/// disregarded and the default format sent (RFC 9110 allows this instead of
/// 406; rdflib, for one, asks for SPARQL results even for CONSTRUCT queries).
fn negotiate(accept: &str, want: Want) -> Format {
    struct Range<'a> {
        kind: &'a str,
        sub: &'a str,
        full: &'a str,
        q: f32,
    }
    let ranges: Vec<Range<'_>> = accept
        .split(',')
        .filter_map(|item| {
            let mut parts = item.split(';');
            let full = parts.next()?.trim();
            let (kind, sub) = full.split_once('/')?;
            let mut q = 1.0;
            for p in parts {
                if let Some((k, v)) = p.split_once('=')
                    && k.trim().eq_ignore_ascii_case("q")
                {
                    q = v.trim().parse::<f32>().unwrap_or(0.0).clamp(0.0, 1.0);
                }
            }
            Some(Range {
                kind: kind.trim(),
                sub: sub.trim(),
                full,
                q,
            })
        })
        .collect();
    let default = want.default_format();
    let mut candidates: Vec<Format> = vec![default];
    candidates.extend(want.formats().filter(|f| f.name != default.name));
    // (quality, specificity, -position, -candidate index)
    let mut best: Option<(f32, u8, i64, i64, Format)> = None;
    for (ci, f) in candidates.iter().enumerate() {
        let (f_kind, _) = f.media_type.split_once('/').unwrap_or((f.media_type, ""));
        let mut matched: Option<(u8, f32, usize)> = None;
        for (pos, r) in ranges.iter().enumerate() {
            let specificity = if r.kind == "*" && r.sub == "*" {
                0
            } else if r.sub == "*" && r.kind.eq_ignore_ascii_case(f_kind) {
                1
            } else if format_by_media_type(r.full, want).is_some_and(|m| m.name == f.name) {
                2
            } else {
                continue;
            };
            if matched.is_none_or(|(s, _, _)| specificity > s) {
                matched = Some((specificity, r.q, pos));
            }
        }
        if let Some((spec, q, pos)) = matched
            && q > 0.0
        {
            let key = (q, spec, -(pos as i64), -(ci as i64), *f);
            let better = match &best {
                None => true,
                Some(b) => (key.0, key.1, key.2, key.3) > (b.0, b.1, b.2, b.3),
            };
            if better {
                best = Some(key);
            }
        }
    }
    best.map_or(default, |b| b.4)
}

/// An RDF serializer with our prefixes.
fn rdf_serializer(format: RdfFormat) -> RdfSerializer {
    let mut ser = RdfSerializer::from_format(format);
    for (p, iri) in PREFIXES {
        ser = ser.with_prefix(*p, *iri).expect("valid prefix IRI");
    }
    ser
}

/// Which quads a streamed Graph Store answer writes.
enum GraphSource {
    /// All quads as triples, each once.
    Union(HashSet<Triple>),
    /// One graph's quads, as triples.
    Named,
    /// All quads with their graph.
    Dataset,
}

/// A response body that serializes quads as the client reads it.
struct GraphBody {
    quads: QuadIter<'static>,
    source: GraphSource,
    writer: Option<WriterQuadSerializer<SharedBuffer>>,
    buffer: Rc<RefCell<Vec<u8>>>,
    position: usize,
}

/// A `Write` into a buffer that the reading side empties.
struct SharedBuffer(Rc<RefCell<Vec<u8>>>);

impl Write for SharedBuffer {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Read for GraphBody {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        loop {
            {
                let buffer = self.buffer.borrow();
                if self.position < buffer.len() {
                    let n = out.len().min(buffer.len() - self.position);
                    out[..n].copy_from_slice(&buffer[self.position..self.position + n]);
                    self.position += n;
                    return Ok(n);
                }
            }
            self.buffer.borrow_mut().clear();
            self.position = 0;
            let Some(writer) = self.writer.as_mut() else {
                return Ok(0);
            };
            let mut written = 0;
            while written < 512 {
                let Some(quad) = self.quads.next() else {
                    if let Some(w) = self.writer.take() {
                        w.finish()?;
                    }
                    break;
                };
                let quad: Quad = quad.map_err(io::Error::other)?;
                match &mut self.source {
                    GraphSource::Dataset => writer.serialize_quad(&quad)?,
                    GraphSource::Named => writer.serialize_triple(&Triple::from(quad))?,
                    GraphSource::Union(seen) => {
                        let t = Triple::from(quad);
                        if seen.contains(&t) {
                            continue;
                        }
                        writer.serialize_triple(&t)?;
                        seen.insert(t);
                    }
                }
                written += 1;
            }
        }
    }
}

/// A streamed (chunked) Graph Store answer.
fn stream_graph(format: Format, quads: QuadIter<'static>, source: GraphSource) -> Response<Body> {
    let FormatKind::Rdf(f) = format.kind else {
        unreachable!("Want::Graph and Want::Dataset only choose RDF formats")
    };
    let buffer = Rc::new(RefCell::new(Vec::with_capacity(64 << 10)));
    let body = GraphBody {
        quads,
        source,
        writer: Some(rdf_serializer(f).for_writer(SharedBuffer(Rc::clone(&buffer)))),
        buffer,
        position: 0,
    };
    let mut response = response(&content_type(format), Body::from_read(body));
    response
        .headers_mut()
        .insert(VARY, HeaderValue::from_static("Accept"));
    response
}

/// The formats chosen for each kind of answer (the kind is known only once
/// the query runs); an error when a `format` parameter names none of them.
struct Formats {
    results: std::result::Result<Format, HttpError>,
    graph: std::result::Result<Format, HttpError>,
}

/// A serialized query answer.
struct Answer {
    format: Format,
    body: Vec<u8>,
    /// Cut at `max_results`.
    truncated: bool,
}

/// Where a query thread leaves its answer for the connection thread.
enum Slot {
    Running,
    Done(std::result::Result<Answer, HttpError>),
    /// The connection thread answered 503 at this deadline and left.
    Abandoned(Instant),
}

/// A job for a query thread.
type Job = Box<dyn FnOnce() + Send>;

/// Threads that run queries: an idle one takes each new query, and one more is
/// started when none is idle, so a query never waits behind another (however
/// long that one runs). Threads idle for a minute end. Reusing threads saves
/// starting one per request (stack mapping and unmapping).
#[derive(Default, Clone)]
struct QueryThreads {
    shared: Arc<(Mutex<ThreadsState>, Condvar)>,
}

#[derive(Default)]
struct ThreadsState {
    queue: std::collections::VecDeque<Job>,
    idle: usize,
}

/// How long a query thread waits for work before it ends.
const THREAD_IDLE: Duration = Duration::from_secs(60);

impl QueryThreads {
    /// Runs `job` on an idle thread, or on a new one when none is idle.
    fn run(&self, job: Job) -> io::Result<()> {
        let mut state = lock(&self.shared.0);
        // Each queued job is already promised to one idle thread.
        if state.idle > state.queue.len() {
            state.queue.push_back(job);
            self.shared.1.notify_one();
            return Ok(());
        }
        drop(state);
        let threads = self.clone();
        std::thread::Builder::new()
            .name("policygraph query".into())
            .spawn(move || {
                job();
                threads.work();
            })
            .map(drop)
    }

    fn work(&self) {
        let (mutex, wake) = &*self.shared;
        let mut state = lock(mutex);
        loop {
            if let Some(job) = state.queue.pop_front() {
                drop(state);
                job();
                state = lock(mutex);
                continue;
            }
            state.idle += 1;
            let (next, waited) = wake
                .wait_timeout(state, THREAD_IDLE)
                .unwrap_or_else(|e| e.into_inner());
            state = next;
            state.idle -= 1;
            if waited.timed_out() && state.queue.is_empty() {
                return;
            }
        }
    }
}

/// Locks a mutex, also after a panic elsewhere (the data stays consistent:
/// every critical section is a single assignment).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Query shown in the form when none is given.
const DEFAULT_QUERY: &str = "# Classes of the entities in the graph, most frequent first.
SELECT ?class (COUNT(DISTINCT ?entity) AS ?entities)
WHERE { ?entity a ?class }
GROUP BY ?class
ORDER BY DESC(?entities)";

/// Escapes text for HTML content and attribute values.
fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes a URL query parameter value.
fn url_encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The query page: form, format choice, saved queries, endpoints and limits.
fn landing_html(app: &App, query: &str) -> String {
    let mut options = String::from("<option value=\"\">automatic (JSON / Turtle)</option>\n");
    for (label, want) in [
        ("SELECT / ASK", Want::Results),
        ("CONSTRUCT / DESCRIBE", Want::Graph),
    ] {
        options.push_str(&format!("<optgroup label=\"{label}\">\n"));
        for f in want.formats() {
            options.push_str(&format!(
                "<option value=\"{}\">{} ({})</option>\n",
                f.name, f.name, f.media_type
            ));
        }
        options.push_str("</optgroup>\n");
    }
    let mut saved = String::new();
    for (name, about, text) in &app.saved {
        saved.push_str(&format!(
            "<li><a href=\"/?saved={}\" data-query=\"{}\">{}</a> <span>{}</span></li>\n",
            url_encode(name),
            html_escape(text),
            html_escape(name),
            html_escape(about)
        ));
    }
    let prefixes_json = serde_json::to_string(
        &PREFIXES
            .iter()
            .map(|(p, iri)| (*p, *iri))
            .collect::<std::collections::BTreeMap<_, _>>(),
    )
    .expect("prefixes as JSON");
    let prefixes: Vec<String> = PREFIXES
        .iter()
        .map(|(p, iri)| format!("<code title=\"{}\">{p}:</code>", html_escape(iri)))
        .collect();
    fill(
        LANDING_PAGE,
        &[
            ("quads", app.quads.to_string()),
            ("graphs", app.graphs.to_string()),
            ("prefixes", prefixes.join(" ")),
            ("prefixes_json", prefixes_json),
            ("timeout", app.config.timeout.as_secs_f64().to_string()),
            ("max_results", app.config.max_results.to_string()),
            ("max_body", app.config.max_body_bytes.to_string()),
            ("options", options),
            ("saved", saved),
            ("query", html_escape(query)),
        ],
    )
}

/// Replaces each `{name}` of `template` by its value, in one pass (so values
/// are never read as placeholders); other braces are kept.
fn fill(template: &str, values: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() * 2);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let key = &after[..close];
            values
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| (v, close))
        });
        match value {
            Some((v, close)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

const LANDING_PAGE: &str = r##"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>policygraph SPARQL endpoint</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1.5rem auto; max-width: 72rem; padding: 0 1rem; color: #1b1b1b; }
h1 { font-size: 1.4rem; margin-bottom: .2rem; }
h2 { font-size: 1.1rem; margin-top: 1.6rem; }
p.about { color: #444; margin-top: 0; }
textarea { width: 100%; box-sizing: border-box; font: 13px/1.4 ui-monospace, monospace; padding: .5rem; }
.controls { display: flex; gap: 1rem; align-items: center; margin: .5rem 0; flex-wrap: wrap; }
button { font-size: 1rem; padding: .3rem 1.2rem; }
#status { color: #444; }
#status.error { color: #a00; }
#results { overflow-x: auto; }
table { border-collapse: collapse; font-size: 13px; }
td small { color: #888; }
th, td { border: 1px solid #ccc; padding: .2rem .5rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; position: sticky; top: 0; }
pre { background: #f6f6f6; padding: .6rem; overflow-x: auto; font-size: 13px; }
ul.saved { padding-left: 1.2rem; }
ul.saved li { margin: .2rem 0; }
ul.saved span { color: #555; }
code { background: #f2f2f2; padding: 0 .2rem; }
</style>
</head>
<body>
<h1>policygraph SPARQL endpoint</h1>
<p class="about">Read-only SPARQL 1.1 over {quads} quads in {graphs} named graphs. The default graph is the
union of all graphs; the prefixes {prefixes} are predeclared.</p>
<form id="form" method="post" action="/query">
<textarea name="query" id="query" rows="16" spellcheck="false" aria-label="SPARQL query">{query}</textarea>
<div class="controls">
<button type="submit">Run query</button>
<label>Format <select name="format" id="format">
{options}</select></label>
<span id="status"></span>
</div>
</form>
<div id="results"></div>
<h2>Saved queries</h2>
<ul class="saved">
{saved}</ul>
<h2>Endpoints</h2>
<ul>
<li><code>/query</code> (or <code>/sparql</code>): SPARQL 1.1 Protocol: <code>GET ?query=</code>, <code>POST</code> form or
<code>application/sparql-query</code>; <code>default-graph-uri</code>, <code>named-graph-uri</code>; format by
<code>Accept</code> or <code>?format=</code>.</li>
<li><code>/store?default</code> (union of all graphs), <code>/store?graph=IRI</code>, <code>/store</code> (all graphs): Graph Store Protocol, read only.</li>
<li>Limits: queries are cancelled after {timeout} s; answers stop after {max_results} rows or triples (then the
<code>X-SPARQL-MaxRows</code> header is set); request bodies up to {max_body} bytes.</li>
</ul>
<script>
(() => {
  const form = document.getElementById('form');
  const status = document.getElementById('status');
  const results = document.getElementById('results');
  for (const a of document.querySelectorAll('a[data-query]')) {
    a.addEventListener('click', (e) => {
      e.preventDefault();
      form.query.value = a.dataset.query;
      history.replaceState(null, '', a.getAttribute('href'));
      form.query.focus();
    });
  }
  const prefixes = {prefixes_json};
  // A term as the command line's table shows it: IRIs shortened with the
  // predeclared prefixes (full IRI on hover), language tags in grey.
  const cell = (td, term) => {
    if (!term) return;
    if (term.type === 'uri') {
      const p = Object.keys(prefixes).find((p) => term.value.startsWith(prefixes[p]));
      td.textContent = p ? p + ':' + term.value.slice(prefixes[p].length) : '<' + term.value + '>';
      td.title = term.value;
    } else if (term.type === 'bnode') {
      td.textContent = '_:' + term.value;
    } else {
      td.textContent = term.value;
      if (term['xml:lang']) {
        const lang = td.appendChild(document.createElement('small'));
        lang.textContent = ' @' + term['xml:lang'];
      }
    }
  };
  const table = (data) => {
    const t = document.createElement('table');
    const head = t.createTHead().insertRow();
    for (const v of data.head.vars) head.appendChild(document.createElement('th')).textContent = v;
    const body = t.createTBody();
    for (const b of data.results.bindings) {
      const row = body.insertRow();
      for (const v of data.head.vars) cell(row.insertCell(), b[v]);
    }
    return t;
  };
  const pre = (text) => {
    const p = document.createElement('pre');
    p.textContent = text;
    return p;
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    status.className = '';
    status.textContent = 'Running…';
    results.replaceChildren();
    const started = performance.now();
    try {
      const r = await fetch(form.action, { method: 'POST', body: new URLSearchParams(new FormData(form)) });
      const text = await r.text();
      const ms = Math.round(performance.now() - started);
      if (!r.ok) {
        status.className = 'error';
        status.textContent = 'Error ' + r.status + ' ' + r.statusText;
        results.appendChild(pre(text));
        return;
      }
      const type = r.headers.get('Content-Type') || '';
      const cut = r.headers.get('X-SPARQL-MaxRows');
      let what = '';
      if (type.startsWith('application/sparql-results+json')) {
        const data = JSON.parse(text);
        if ('boolean' in data) {
          results.appendChild(pre(String(data.boolean)));
          what = 'answer';
        } else {
          results.appendChild(table(data));
          what = data.results.bindings.length + ' rows';
        }
      } else {
        results.appendChild(pre(text));
        what = type.split(';')[0];
      }
      status.textContent = what + ' in ' + ms + ' ms' + (cut ? ' (cut at ' + cut + ' results: the server\'s limit)' : '');
    } catch (err) {
      status.className = 'error';
      status.textContent = 'Request failed: ' + err;
    }
  });
  // `/?saved=NAME&run` (or `/?query=…&run`) runs the query on load: a link to results.
  if (new URLSearchParams(location.search).has('run')) form.requestSubmit();
})();
</script>
</body>
</html>
"##;

#[cfg(test)]
mod tests {
    use super::*;

    fn name(f: std::result::Result<Format, HttpError>) -> String {
        match f {
            Ok(f) => f.name.to_string(),
            Err(e) => format!("{}", e.status.as_u16()),
        }
    }

    #[test]
    fn accept_negotiation() {
        let n = |accept: &str, want| name(choose_format(&[], Some(accept), want));
        // Defaults: no header, empty header, anything.
        assert_eq!(name(choose_format(&[], None, Want::Results)), "json");
        assert_eq!(name(choose_format(&[], None, Want::Graph)), "ttl");
        assert_eq!(name(choose_format(&[], None, Want::Dataset)), "nq");
        assert_eq!(n("*/*", Want::Results), "json");
        assert_eq!(n("", Want::Graph), "ttl");
        // A browser.
        let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assert_eq!(n(browser, Want::Results), "xml");
        assert_eq!(n(browser, Want::Graph), "rdfxml");
        // Exact types and the aliases clients send.
        assert_eq!(n("text/csv", Want::Results), "csv");
        assert_eq!(n("text/tab-separated-values", Want::Results), "tsv");
        assert_eq!(n("application/sparql-results+xml", Want::Results), "xml");
        assert_eq!(n("application/json", Want::Results), "json");
        assert_eq!(n("text/plain", Want::Results), "table");
        assert_eq!(n("application/json", Want::Graph), "jsonld");
        assert_eq!(n("application/ld+json", Want::Graph), "jsonld");
        assert_eq!(n("text/plain", Want::Graph), "nt");
        assert_eq!(n("text/n3", Want::Graph), "ttl");
        assert_eq!(n("application/x-turtle", Want::Graph), "ttl");
        assert_eq!(n("application/trig", Want::Dataset), "trig");
        // rdflib's SPARQLStore asks for both kinds at once.
        let rdflib = "application/sparql-results+xml, application/rdf+xml";
        assert_eq!(n(rdflib, Want::Results), "xml");
        assert_eq!(n(rdflib, Want::Graph), "rdfxml");
        // Qualities: the best wins; the most specific range sets a format's quality.
        assert_eq!(
            n("text/csv;q=0.5, text/tab-separated-values", Want::Results),
            "tsv"
        );
        assert_eq!(
            n("application/sparql-results+json;q=0, */*", Want::Results),
            "xml"
        );
        assert_eq!(n("text/*", Want::Results), "csv");
        assert_eq!(
            n(
                "text/turtle;q=0.2, application/n-triples;q=0.9",
                Want::Graph
            ),
            "nt"
        );
        // Ties go to the range listed first.
        assert_eq!(
            n("text/tab-separated-values, text/csv", Want::Results),
            "tsv"
        );
        // Nothing acceptable: the default format.
        assert_eq!(n("image/png", Want::Results), "json");
        assert_eq!(n("text/turtle", Want::Results), "json");
        assert_eq!(n("application/sparql-results+json", Want::Graph), "ttl");
        assert_eq!(n("text/csv", Want::Graph), "ttl");
        assert_eq!(n("text/turtle", Want::Dataset), "nq");
    }

    #[test]
    fn format_parameter() {
        let f = |values: &[&str], want| name(choose_format(values, Some("text/csv"), want));
        assert_eq!(f(&["tsv"], Want::Results), "tsv");
        assert_eq!(f(&["JSON"], Want::Results), "json");
        assert_eq!(f(&["application/sparql-results+xml"], Want::Results), "xml");
        assert_eq!(f(&["table"], Want::Results), "table");
        assert_eq!(f(&["nt"], Want::Graph), "nt");
        // What SPARQLWrapper sends: kind-dependent names, and name + media type.
        assert_eq!(f(&["xml"], Want::Graph), "rdfxml");
        assert_eq!(f(&["json"], Want::Graph), "jsonld");
        assert_eq!(f(&["n3"], Want::Graph), "ttl");
        assert_eq!(
            f(&["rdf+xml", "application/rdf+xml"], Want::Graph),
            "rdfxml"
        );
        assert_eq!(
            f(&["tsv", "text/tab-separated-values"], Want::Results),
            "tsv"
        );
        // Empty values are ignored (the form's "automatic").
        assert_eq!(f(&[""], Want::Results), "csv");
        // Wrong kind or unknown.
        assert_eq!(f(&["ttl"], Want::Results), "400");
        assert_eq!(f(&["csv"], Want::Graph), "400");
        assert_eq!(f(&["dot"], Want::Graph), "400");
        assert_eq!(f(&["nt"], Want::Dataset), "400");
        assert_eq!(f(&["yaml"], Want::Results), "400");
    }

    #[test]
    fn query_threads_never_queue_behind_a_long_query() {
        let threads = QueryThreads::default();
        let (release, blocked) = std::sync::mpsc::channel::<()>();
        let (done, finished) = std::sync::mpsc::channel::<&str>();
        let d = done.clone();
        threads
            .run(Box::new(move || {
                blocked.recv().unwrap();
                d.send("long").unwrap();
            }))
            .unwrap();
        // The long job holds its thread; the next ones still run at once.
        for _ in 0..3 {
            let d = done.clone();
            threads
                .run(Box::new(move || d.send("short").unwrap()))
                .unwrap();
            let got = finished.recv_timeout(Duration::from_secs(5));
            assert_eq!(got, Ok("short"));
        }
        release.send(()).unwrap();
        assert_eq!(finished.recv_timeout(Duration::from_secs(5)), Ok("long"));
        // Threads are reused: one after another, jobs start no new thread.
        std::thread::sleep(Duration::from_millis(100));
        let idle = lock(&threads.shared.0).idle;
        assert!((2..=4).contains(&idle), "{idle} idle threads");
        for _ in 0..10 {
            let d = done.clone();
            threads
                .run(Box::new(move || d.send("again").unwrap()))
                .unwrap();
            assert_eq!(finished.recv_timeout(Duration::from_secs(5)), Ok("again"));
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(lock(&threads.shared.0).idle, idle);
    }

    #[test]
    fn template_is_filled_once() {
        let values = [("a", "{b}".to_string()), ("b", "B".to_string())];
        assert_eq!(
            fill("x {a} {b} { css } {c}", &values),
            "x {b} B { css } {c}"
        );
        assert_eq!(fill("{a", &values), "{a");
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            html_escape(r#"<a href="x">Tom & Jerry's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
        assert_eq!(url_encode("a b&c=d/é"), "a+b%26c%3Dd%2F%C3%A9");
    }
}
