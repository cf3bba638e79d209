#!/usr/bin/env python3
"""Checks a running `policygraph serve` endpoint with real SPARQL clients
(SPARQLWrapper and rdflib's SPARQLStore) and with raw HTTP: every result
format, dataset parameters, the Graph Store Protocol, CORS, read-only answers,
the query timeout, the body and result caps, and the query page.

Usage: serve_check.py BASE_URL --pid PID --timeout S --max-body B --max-results N
       --queries DIR

The server must hold the seeds graph and run with the given limits. Prints one
line per failed check and a summary; exits 1 when any check failed, 3 when the
Python packages are missing (pip install SPARQLWrapper rdflib)."""

import argparse
import csv
import http.client
import io
import json
import os
import socket
import sys
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
import warnings
from html.parser import HTMLParser

try:
    import rdflib
    from rdflib.plugins.stores.sparqlstore import SPARQLStore
    from SPARQLWrapper import (
        CSV,
        GET,
        JSON,
        JSONLD,
        N3,
        POST,
        POSTDIRECTLY,
        RDFXML,
        TSV,
        TURTLE,
        XML,
        SPARQLWrapper,
    )
except ImportError as e:
    print(f"serve_check: missing Python package ({e}): pip install SPARQLWrapper rdflib")
    sys.exit(3)

PG = "https://w3id.org/policygraph/ontology#"
ID = "https://w3id.org/policygraph/id/"

# Partnerships with their partner's label: a few dozen rows, with IRIs and
# language-less literals, ordered so that every format gives the same rows.
PARTNERS = f"""
PREFIX pg: <{PG}>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?actor ?partner ?label WHERE {{
  ?actor pg:partnersWith ?partner .
  ?partner skos:prefLabel ?label .
}} ORDER BY ?actor ?partner ?label"""

# The same facts as a graph.
PARTNERS_GRAPH = f"""
PREFIX pg: <{PG}>
CONSTRUCT {{ ?actor pg:partnersWith ?partner }} WHERE {{ ?actor pg:partnersWith ?partner }}"""

# Cross product of all quads with themselves, counted: runs far longer than any
# sane timeout, reading the store all along (so cancellation stops it at once).
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"
# Three-way cross product: between two reads of the store it computes for a
# long time, so its evaluation stops late; the answer must still come on time.
SLOWER = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"

ALL_TRIPLES = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"


class Checker:
    """Runs named checks, records failures, never stops at the first one."""

    def __init__(self):
        self.passed = 0
        self.failed = []

    def check(self, name, fn):
        try:
            fn()
            self.passed += 1
        except Exception as e:  # noqa: BLE001 - every failure is reported
            detail = "".join(traceback.format_exception_only(type(e), e)).strip()
            self.failed.append(name)
            print(f"FAIL {name}: {detail}", flush=True)


def expect(cond, message):
    if not cond:
        raise AssertionError(message)


class Http:
    """Raw HTTP/1.1 requests on one keep-alive connection."""

    def __init__(self, base):
        u = urllib.parse.urlsplit(base)
        self.host, self.port = u.hostname, u.port
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)

    def request(self, method, path, body=None, headers=None, encode_chunked=False):
        self.conn.request(method, path, body=body, headers=headers or {}, encode_chunked=encode_chunked)
        r = self.conn.getresponse()
        data = r.read()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, data

    def close(self):
        self.conn.close()


def qs(**params):
    return urllib.parse.urlencode(params)


def json_rows(data):
    vars_ = data["head"]["vars"]
    return [tuple(b.get(v, {}).get("value", "") for v in vars_) for b in data["results"]["bindings"]]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--timeout", type=float, required=True)
    ap.add_argument("--max-body", type=int, required=True)
    ap.add_argument("--max-results", type=int, required=True)
    ap.add_argument("--queries", required=True)
    args = ap.parse_args()
    base = args.base.rstrip("/")
    endpoint = base + "/query"
    c = Checker()
    h = Http(base)

    def wrapper(query, fmt, method=GET, url=endpoint):
        sw = SPARQLWrapper(url)
        sw.setQuery(query)
        sw.setReturnFormat(fmt)
        sw.setMethod(method)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = sw.query()
            converted = result.convert()
        bad = [str(w.message) for w in caught if "has been returned by the endpoint" in str(w.message)]
        expect(not bad, f"SPARQLWrapper: {bad}")
        return result, converted

    # Reference rows from the default JSON answer of a plain GET.
    status, headers, body = h.request("GET", "/query?" + qs(query=PARTNERS))
    expect(status == 200, f"reference query: {status} {body[:300]!r}")
    reference = json_rows(json.loads(body))
    expect(10 <= len(reference) < args.max_results, f"reference query has {len(reference)} rows")

    # --- SELECT in every results format, GET and POST (form and direct) -----------
    def select_json():
        for method in (GET, POST):
            result, data = wrapper(PARTNERS, JSON, method)
            expect(result.response.info()["Content-Type"].startswith("application/sparql-results+json"), "content type")
            expect(json_rows(data) == reference, f"JSON rows differ ({method})")

    def select_json_direct_post():
        sw = SPARQLWrapper(endpoint)
        sw.setQuery(PARTNERS)
        sw.setReturnFormat(JSON)
        sw.setMethod(POST)
        sw.setRequestMethod(POSTDIRECTLY)
        expect(json_rows(sw.query().convert()) == reference, "rows differ (application/sparql-query)")

    def select_xml():
        result, doc = wrapper(PARTNERS, XML)
        expect(result.response.info()["Content-Type"].startswith("application/sparql-results+xml"), "content type")
        vars_ = [v.getAttribute("name") for v in doc.getElementsByTagName("variable")]
        rows = []
        for r in doc.getElementsByTagName("result"):
            values = {}
            for b in r.getElementsByTagName("binding"):
                node = [n for n in b.childNodes if n.nodeType == n.ELEMENT_NODE][0]
                values[b.getAttribute("name")] = "".join(t.data for t in node.childNodes if t.nodeType == t.TEXT_NODE)
            rows.append(tuple(values.get(v, "") for v in vars_))
        expect(rows == reference, "XML rows differ")

    def select_csv():
        result, text = wrapper(PARTNERS, CSV, POST)
        expect(result.response.info()["Content-Type"].startswith("text/csv"), "content type")
        rows = list(csv.reader(io.StringIO(text.decode("utf-8"))))
        expect(rows[0] == ["actor", "partner", "label"], f"CSV header {rows[0]}")
        expect([tuple(r) for r in rows[1:]] == reference, "CSV rows differ")

    def select_tsv():
        result, text = wrapper(PARTNERS, TSV)
        expect(result.response.info()["Content-Type"].startswith("text/tab-separated-values"), "content type")
        lines = text.decode("utf-8").rstrip("\n").split("\n")
        expect(lines[0] == "?actor\t?partner\t?label", f"TSV header {lines[0]!r}")

        def plain(term):
            if term.startswith("<") and term.endswith(">"):
                return term[1:-1]
            if term.startswith('"'):
                return json.loads(term[: term.rindex('"') + 1])
            return term

        rows = [tuple(plain(t) for t in line.split("\t")) for line in lines[1:]]
        expect(rows == reference, "TSV rows differ")

    def select_table_and_format_override():
        # ?format= wins over Accept; `table` is the CLI's aligned text table.
        status, headers, body = h.request("GET", "/query?" + qs(query=PARTNERS, format="csv"), headers={"Accept": "application/sparql-results+json"})
        expect(status == 200 and headers["content-type"].startswith("text/csv"), f"format=csv: {status} {headers}")
        status, headers, body = h.request("GET", "/query?" + qs(query=PARTNERS, format="table"))
        expect(status == 200 and headers["content-type"].startswith("text/plain"), f"format=table: {status}")
        lines = body.decode().splitlines()
        expect(lines[0].split() == ["actor", "partner", "label"] and set(lines[1]) <= {"-", " "}, f"table: {lines[:2]}")
        expect(len(lines) == len(reference) + 2, "table rows")
        status, _, body = h.request("GET", "/query?" + qs(query=PARTNERS, format="ttl"))
        expect(status == 400 and b"cannot hold SELECT" in body, f"format=ttl for SELECT: {status} {body!r}")

    def accept_negotiation():
        status, headers, _ = h.request("GET", "/query?" + qs(query=PARTNERS), headers={"Accept": "text/csv;q=0.4, text/tab-separated-values;q=0.9"})
        expect(status == 200 and headers["content-type"].startswith("text/tab-separated-values"), f"q values: {headers}")
        expect("accept" in headers.get("vary", "").lower(), "Vary: Accept")
        # Nothing acceptable: the header is disregarded and the default sent.
        status, headers, _ = h.request("GET", "/query?" + qs(query=PARTNERS), headers={"Accept": "image/png"})
        expect(status == 200 and headers["content-type"].startswith("application/sparql-results+json"), f"image/png: {status} {headers}")
        status, headers, _ = h.request("GET", "/query?" + qs(query=PARTNERS_GRAPH), headers={"Accept": "application/sparql-results+json"})
        expect(status == 200 and headers["content-type"].startswith("text/turtle"), f"graph as JSON results: {status} {headers}")

    for name, fn in [
        ("select json", select_json),
        ("select json direct post", select_json_direct_post),
        ("select xml", select_xml),
        ("select csv", select_csv),
        ("select tsv", select_tsv),
        ("select table, format override", select_table_and_format_override),
        ("accept negotiation", accept_negotiation),
    ]:
        c.check(name, fn)

    # --- ASK ---------------------------------------------------------------------
    def ask():
        yes = f"ASK {{ ?a <{PG}partnersWith> ?b }}"
        no = f"ASK {{ <{ID}nothing/here> ?p ?o }}"
        for q, want in ((yes, True), (no, False)):
            _, data = wrapper(q, JSON)
            expect(data["boolean"] is want, f"JSON ASK {data}")
            _, doc = wrapper(q, XML, POST)
            value = doc.getElementsByTagName("boolean")[0].firstChild.data
            expect(value == str(want).lower(), f"XML ASK {value}")
            for accept in ("text/csv", "text/tab-separated-values"):
                status, _, body = h.request("GET", "/query?" + qs(query=q), headers={"Accept": accept})
                expect(status == 200 and body.decode().strip().lower().endswith(str(want).lower()), f"{accept} ASK {body!r}")

    c.check("ask in json, xml, csv, tsv", ask)

    # --- CONSTRUCT in every RDF format -------------------------------------------
    expected_graph = set()
    for row in reference:
        expected_graph.add((rdflib.URIRef(row[0]), rdflib.URIRef(PG + "partnersWith"), rdflib.URIRef(row[1])))

    def graph_of(data, fmt):
        if isinstance(data, rdflib.Graph):
            return set(data)
        g = rdflib.Graph()
        g.parse(data=data if isinstance(data, (bytes, str)) else data.serialize(), format=fmt)
        return set(g)

    def construct_wrapper():
        for fmt, rdflib_fmt, ctype in (
            (TURTLE, "turtle", "text/turtle"),
            (N3, "turtle", "text/turtle"),
            (RDFXML, "xml", "application/rdf+xml"),
            (XML, "xml", "application/rdf+xml"),
            (JSONLD, "json-ld", "application/ld+json"),
        ):
            for method in (GET, POST):
                result, data = wrapper(PARTNERS_GRAPH, fmt, method)
                got = result.response.info()["Content-Type"]
                expect(got.startswith(ctype), f"{fmt}: content type {got}")
                triples = graph_of(data, rdflib_fmt)
                expect(triples == expected_graph, f"{fmt}/{method}: {len(triples)} triples, want {len(expected_graph)}")

    def construct_accept():
        for accept, rdflib_fmt in (
            ("application/n-triples", "nt"),
            ("application/n-quads", "nquads"),
            ("application/trig", "trig"),
            ("text/turtle", "turtle"),
        ):
            status, headers, body = h.request("POST", "/query", body=PARTNERS_GRAPH.encode(), headers={"Content-Type": "application/sparql-query", "Accept": accept})
            expect(status == 200 and headers["content-type"].startswith(accept), f"{accept}: {status} {headers.get('content-type')}")
            ds = rdflib.Dataset()
            ds.parse(data=body, format=rdflib_fmt)
            triples = {(s, p, o) for s, p, o, _ in ds.quads((None, None, None, None))}
            expect(triples == expected_graph, f"{accept}: {len(triples)} triples")
        status, headers, _ = h.request("GET", "/query?" + qs(query=PARTNERS_GRAPH))
        expect(headers["content-type"].startswith("text/turtle"), f"default graph format {headers['content-type']}")

    def describe():
        q = f"DESCRIBE <{ID}eu/european-union>"
        _, data = wrapper(q, TURTLE)
        triples = graph_of(data, "turtle")
        expect(len(triples) > 3, f"DESCRIBE gave {len(triples)} triples")

    c.check("construct via SPARQLWrapper (turtle, n3, rdf/xml, json-ld)", construct_wrapper)
    c.check("construct by Accept (n-triples, n-quads, trig, turtle)", construct_accept)
    c.check("describe", describe)

    # --- rdflib SPARQLStore ------------------------------------------------------
    def rdflib_store():
        for method in ("GET", "POST", "POST_FORM"):
            for fmt in ("xml", "json", "csv"):
                store = SPARQLStore(query_endpoint=endpoint, method=method, returnFormat=fmt)
                g = rdflib.Graph(store=store)
                rows = [tuple(str(v) for v in r) for r in g.query(PARTNERS)]
                expect(rows == reference, f"rdflib {method}/{fmt}: rows differ")
                if fmt != "csv":  # rdflib reads no boolean from CSV
                    ask_result = g.query(f"ASK {{ ?a <{PG}partnersWith> ?b }}")
                    expect(bool(ask_result) is True, f"rdflib ASK {method}/{fmt}")
                constructed = g.query(PARTNERS_GRAPH)
                expect(isinstance(constructed, rdflib.query.Result), f"rdflib CONSTRUCT {method}/{fmt}: {constructed}")
                expect(set(constructed.graph) == expected_graph, f"rdflib CONSTRUCT {method}/{fmt}")
                store.close()

    c.check("rdflib SPARQLStore (GET, POST, POST_FORM; xml, json, csv)", rdflib_store)

    # --- dataset parameters ------------------------------------------------------
    status, _, body = h.request("GET", "/query?" + qs(query="SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"))
    graph_counts = {r[0]: int(r[1]) for r in json_rows(json.loads(body))}
    document_graphs = sorted(g for g in graph_counts if g.startswith(ID + "graph/") and not g.endswith(("/ontology", "/entities")))

    def dataset_params():
        expect(len(document_graphs) >= 2, f"document graphs: {list(graph_counts)}")
        g1, g2 = document_graphs[:2]
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        for graphs, want in (([g1], graph_counts[g1]), ([g2], graph_counts[g2])):
            status, _, body = h.request("GET", "/query?" + urllib.parse.urlencode([("query", count)] + [("default-graph-uri", g) for g in graphs]))
            got = int(json_rows(json.loads(body))[0][0])
            expect(got == want, f"default-graph-uri {graphs}: {got} triples, want {want}")
        # Two default graphs are merged (duplicates counted twice in COUNT(*)).
        form = urllib.parse.urlencode([("query", count), ("default-graph-uri", g1), ("default-graph-uri", g2)])
        status, _, body = h.request("POST", "/query", body=form, headers={"Content-Type": "application/x-www-form-urlencoded"})
        got = int(json_rows(json.loads(body))[0][0])
        expect(got == graph_counts[g1] + graph_counts[g2], f"two default graphs: {got}")
        # named-graph-uri limits GRAPH ?g to the graphs given.
        named = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
        status, _, body = h.request("GET", "/query?" + urllib.parse.urlencode([("query", named), ("named-graph-uri", g2)]))
        expect([r[0] for r in json_rows(json.loads(body))] == [g2], f"named-graph-uri: {body[:200]!r}")
        # Without parameters the default graph is the union of all graphs.
        status, _, body = h.request("GET", "/query?" + qs(query=count))
        expect(int(json_rows(json.loads(body))[0][0]) == sum(graph_counts.values()), "union default graph")
        status, _, body = h.request("GET", "/query?" + urllib.parse.urlencode([("query", count), ("default-graph-uri", "not an iri")]))
        expect(status == 400, f"bad default-graph-uri: {status}")

    c.check("default-graph-uri / named-graph-uri", dataset_params)

    # --- Graph Store Protocol ------------------------------------------------------
    def graph_store():
        g = document_graphs[0]
        for accept, fmt in (("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")):
            status, headers, body = h.request("GET", "/store?" + qs(graph=g), headers={"Accept": accept})
            expect(status == 200 and headers["content-type"].startswith(accept), f"GSP {accept}: {status} {headers.get('content-type')}")
            parsed = rdflib.Graph().parse(data=body, format=fmt)
            expect(len(parsed) == graph_counts[g], f"GSP {accept}: {len(parsed)} triples, want {graph_counts[g]}")
        status, headers, body = h.request("GET", "/store?default", headers={"Accept": "application/n-triples"})
        expect(status == 200, f"GSP default: {status}")
        lines = [l for l in body.decode().split("\n") if l.strip()]
        expect(len(lines) == len(set(lines)), "GSP default has duplicate triples")
        status, _, body = h.request("GET", "/query?" + qs(query="SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"))
        distinct = int(json_rows(json.loads(body))[0][0])
        expect(len(lines) == distinct, f"GSP default: {len(lines)} triples, union has {distinct}")
        expect(len(lines) > args.max_results, "GSP answers are not cut at --max-results")
        status, headers, body = h.request("GET", "/store")
        expect(status == 200 and headers["content-type"].startswith("application/n-quads"), f"GSP dataset: {headers}")
        ds = rdflib.Dataset()
        ds.parse(data=body, format="nquads")
        expect(len(list(ds.quads((None, None, None, None)))) == sum(graph_counts.values()), "GSP dataset quads")
        status, _, body = h.request("GET", "/store?" + qs(graph=ID + "graph/no-such-document"))
        expect(status == 404 and b"no graph" in body, f"unknown graph: {status} {body!r}")
        status, headers, _ = h.request("GET", "/store", headers={"Accept": "text/turtle"})
        expect(status == 200 and headers["content-type"].startswith("application/n-quads"), f"dataset as turtle: {status}")
        status, _, _ = h.request("GET", "/store?" + qs(graph=g) + "&default")
        expect(status == 400, f"graph and default: {status}")

    c.check("graph store protocol", graph_store)

    # --- CORS ------------------------------------------------------------------------
    def cors():
        for path in ("/query?" + qs(query=PARTNERS), "/store?default", "/", "/nothing"):
            status, headers, _ = h.request("GET", path, headers={"Origin": "https://example.org"})
            expect(headers.get("access-control-allow-origin") == "*", f"{path}: no CORS header ({status})")
        status, headers, body = h.request(
            "OPTIONS",
            "/query",
            headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type, accept"},
        )
        expect(status in (200, 204), f"preflight status {status}")
        expect(headers.get("access-control-allow-origin") == "*", "preflight origin")
        expect("content-type" in headers.get("access-control-allow-headers", "").lower(), f"preflight headers {headers}")
        status, headers, _ = h.request("POST", "/query", body=PARTNERS.encode(), headers={"Origin": "https://example.org", "Content-Type": "application/sparql-query"})
        expect(status == 200 and headers.get("access-control-allow-origin") == "*", "CORS on POST")
        expect("x-sparql-maxrows" in headers.get("access-control-expose-headers", "").lower(), "exposed headers")

    c.check("cors headers and preflight", cors)

    # --- read-only -------------------------------------------------------------------
    insert = f"INSERT DATA {{ <{ID}test/x> <{PG}partnersWith> <{ID}test/y> }}"

    def read_only():
        answers = [
            h.request("POST", "/update", body=qs(update=insert), headers={"Content-Type": "application/x-www-form-urlencoded"}),
            h.request("POST", "/update", body=insert.encode(), headers={"Content-Type": "application/sparql-update"}),
            h.request("GET", "/update"),
            h.request("POST", "/query", body=qs(update=insert), headers={"Content-Type": "application/x-www-form-urlencoded"}),
            h.request("POST", "/query", body=insert.encode(), headers={"Content-Type": "application/sparql-update"}),
            h.request("POST", "/query", body=insert.encode(), headers={"Content-Type": "application/sparql-query"}),
            h.request("GET", "/query?" + qs(query=insert)),
            h.request("GET", "/sparql?" + qs(query=f"DROP GRAPH <{document_graphs[0]}>")),
            h.request("PUT", "/store?default", body=b"<a:b> <a:c> <a:d> .", headers={"Content-Type": "application/n-triples"}),
            h.request("DELETE", "/store?" + qs(graph=document_graphs[0])),
        ]
        for i, (status, headers, body) in enumerate(answers):
            expect(status == 403, f"write #{i}: {status} {body[:100]!r}")
            expect(headers["content-type"].startswith("text/plain") and b"read-only" in body, f"write #{i}: message {body!r}")
        sw = SPARQLWrapper(endpoint)
        sw.setQuery(insert)
        sw.setMethod(POST)
        try:
            sw.query()
            raise AssertionError("SPARQLWrapper update succeeded")
        except AssertionError:
            raise
        except Exception as e:  # SPARQLWrapper wraps the 403 in its own exception types
            cause = e.__cause__ or e.__context__
            expect("403" in str(e) or (isinstance(cause, urllib.error.HTTPError) and cause.code == 403), f"SPARQLWrapper update: {e!r}")
        _, data = wrapper(f"ASK {{ <{ID}test/x> ?p ?o }}", JSON)
        expect(data["boolean"] is False, "the store changed")

    c.check("read-only: 403 on every write", read_only)

    # --- errors ------------------------------------------------------------------------
    def errors():
        status, headers, body = h.request("GET", "/query?" + qs(query="SELECT ?x WHERE { ?x ?y }"))
        expect(status == 400 and b"syntax" in body.lower(), f"syntax error: {status} {body!r}")
        status, _, _ = h.request("POST", "/query", body=b"SELECT * {}", headers={"Content-Type": "text/plain"})
        expect(status == 415, f"unsupported content type: {status}")
        status, _, _ = h.request("DELETE", "/query")
        expect(status == 405, f"DELETE /query: {status}")
        status, _, _ = h.request("GET", "/nothing")
        expect(status == 404, f"unknown path: {status}")
        status, _, _ = h.request("GET", "/query?" + qs(query=PARTNERS) + "&" + qs(query=PARTNERS))
        expect(status == 400, f"two queries: {status}")

    def service_description():
        status, headers, body = h.request("GET", "/query", headers={"Accept": "text/turtle"})
        expect(status == 200 and headers["content-type"].startswith("text/turtle"), f"service description: {status}")
        g = rdflib.Graph().parse(data=body, format="turtle")
        sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
        expect((None, rdflib.RDF.type, sd.Service) in g, "no sd:Service")
        expect(len(list(g.objects(None, sd.resultFormat))) >= 8, "result formats")

    c.check("errors (400, 405, 404, 415)", errors)
    c.check("service description", service_description)

    # --- result cap --------------------------------------------------------------------
    def result_cap():
        n = args.max_results
        result, data = wrapper(ALL_TRIPLES, JSON)
        expect(len(data["results"]["bindings"]) == n, f"JSON: {len(data['results']['bindings'])} rows")
        expect(result.response.info()["X-SPARQL-MaxRows"] == str(n), "JSON: no X-SPARQL-MaxRows")
        status, headers, body = h.request("GET", "/query?" + qs(query=ALL_TRIPLES), headers={"Accept": "text/csv"})
        rows = list(csv.reader(io.StringIO(body.decode())))
        expect(len(rows) == n + 1 and headers.get("x-sparql-maxrows") == str(n), f"CSV: {len(rows)} lines")
        status, headers, body = h.request("GET", "/query?" + qs(query="CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"), headers={"Accept": "application/n-triples"})
        triples = [l for l in body.decode().split("\n") if l.strip()]
        expect(len(triples) == n and headers.get("x-sparql-maxrows") == str(n), f"CONSTRUCT: {len(triples)} triples")
        expect(len(rdflib.Graph().parse(data=body, format="nt")) == n, "CONSTRUCT: cut answer does not parse")
        # Exactly at the cap, and under it: not cut.
        for limit in (n, n - 1):
            status, headers, body = h.request("GET", "/query?" + qs(query=f"{ALL_TRIPLES} LIMIT {limit}"))
            expect(len(json.loads(body)["results"]["bindings"]) == limit, f"LIMIT {limit}")
            expect("x-sparql-maxrows" not in headers, f"LIMIT {limit}: marked as cut")

    c.check("result cap", result_cap)

    # --- body cap ----------------------------------------------------------------------
    def body_cap():
        cap = args.max_body
        query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }\n"
        fits = ("#" * (cap - len(query) - 1) + "\n" + query).encode()
        expect(len(fits) == cap, "test body size")
        status, _, body = h.request("POST", "/query", body=fits, headers={"Content-Type": "application/sparql-query"})
        expect(status == 200, f"body of {cap} bytes: {status} {body[:200]!r}")
        too_big = b"#" + fits
        status, headers, body = h.request("POST", "/query", body=too_big, headers={"Content-Type": "application/sparql-query"})
        expect(status == 413 and str(cap).encode() in body, f"body of {cap + 1} bytes: {status} {body!r}")
        # The same connection still works (the rest of the body was read).
        status, _, _ = h.request("GET", "/query?" + qs(query=query))
        expect(status == 200, f"keep-alive after 413: {status}")
        # Form bodies and chunked bodies (no Content-Length) are capped too.
        form = qs(query=query, padding="x" * cap).encode()
        status, _, _ = h.request("POST", "/query", body=form, headers={"Content-Type": "application/x-www-form-urlencoded"})
        expect(status == 413, f"form body: {status}")
        chunks = iter([too_big[: cap // 2], too_big[cap // 2 :]])
        status, _, _ = h.request("POST", "/query", body=chunks, headers={"Content-Type": "application/sparql-query"}, encode_chunked=True)
        expect(status == 413, f"chunked body: {status}")
        # A client announcing a huge body gets 413 at once, without the server waiting for it.
        with socket.create_connection((h.host, h.port), timeout=10) as s:
            s.sendall(
                b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                b"Content-Length: 1000000000\r\n\r\nSELECT"
            )
            started = time.monotonic()
            answer = b""
            while True:
                part = s.recv(65536)
                if not part:
                    break
                answer += part
            expect(answer.startswith(b"HTTP/1.1 413"), f"announced huge body: {answer[:100]!r}")
            expect(time.monotonic() - started < 5, "announced huge body: slow answer")

    c.check("body cap (413)", body_cap)

    # --- timeout, and queries in parallel ---------------------------------------------------
    def cpu_seconds():
        with open(f"/proc/{args.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def slow_query(query, outcomes):
        conn = Http(base)
        started = time.monotonic()
        status, headers, body = conn.request("POST", "/query", body=qs(query=query), headers={"Content-Type": "application/x-www-form-urlencoded"})
        outcomes.append((status, body, time.monotonic() - started))
        conn.close()

    def expect_timeouts(outcomes, count):
        expect(len(outcomes) == count, f"{len(outcomes)} of {count} slow queries answered")
        for status, body, took in outcomes:
            expect(status in (503, 504), f"slow query: {status} {body[:200]!r}")
            expect(b"timeout" in body.lower() and b"cancelled" in body, f"slow query message: {body!r}")
            expect(args.timeout - 0.1 <= took < args.timeout + 2, f"slow query answered after {took:.1f} s")

    def timeout():
        outcomes = []
        threads = [threading.Thread(target=slow_query, args=(SLOW, outcomes)) for _ in range(2)]
        for t in threads:
            t.start()
        time.sleep(min(0.3, args.timeout / 3))
        # While two slow queries run, a quick one is answered at once.
        started = time.monotonic()
        status, _, _ = Http(base).request("GET", "/query?" + qs(query=f"ASK {{ ?a <{PG}partnersWith> ?b }}"))
        quick = time.monotonic() - started
        for t in threads:
            t.join()
        expect(status == 200 and quick < args.timeout, f"quick query during slow ones: {status} in {quick:.2f} s")
        expect_timeouts(outcomes, 2)
        # The cancelled queries really stopped: the server is idle.
        time.sleep(0.5)
        before = cpu_seconds()
        time.sleep(1.5)
        used = cpu_seconds() - before
        expect(used < 0.3, f"server used {used:.2f} s of CPU in 1.5 s after the timeouts")
        # And it still answers.
        _, data = wrapper(f"ASK {{ ?a <{PG}partnersWith> ?b }}", JSON)
        expect(data["boolean"] is True, "after timeouts")

    def timeout_late_stop():
        outcomes = []
        slow_query(SLOWER, outcomes)
        expect_timeouts(outcomes, 1)
        status, _, _ = Http(base).request("GET", "/query?" + qs(query=f"ASK {{ ?a <{PG}partnersWith> ?b }}"))
        expect(status == 200, f"after a late-stopping query: {status}")

    c.check("timeout (503) cancels evaluation; parallel queries", timeout)

    # --- query page ----------------------------------------------------------------------------
    class Page(HTMLParser):
        def __init__(self):
            super().__init__()
            self.saved = {}
            self.forms = []
            self.textarea = None
            self.options = []
            self._in_textarea = False

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "form":
                self.forms.append(a)
            elif tag == "textarea":
                self._in_textarea = True
                self.textarea = ""
            elif tag == "a" and "data-query" in a:
                name = urllib.parse.parse_qs(urllib.parse.urlsplit(a["href"]).query)["saved"][0]
                self.saved[name] = a["data-query"]
            elif tag == "option":
                self.options.append(a.get("value"))

        def handle_endtag(self, tag):
            if tag == "textarea":
                self._in_textarea = False

        def handle_data(self, data):
            if self._in_textarea:
                self.textarea += data

    def page():
        status, headers, body = h.request("GET", "/")
        expect(status == 200 and headers["content-type"].startswith("text/html"), f"/: {status}")
        p = Page()
        p.feed(body.decode())
        expect(any(f.get("action") == "/query" for f in p.forms), f"no form posting to /query: {p.forms}")
        expect(p.textarea and "SELECT" in p.textarea, "no query in the textarea")
        for fmt in ("json", "xml", "csv", "tsv", "ttl", "nt", "jsonld", "rdfxml"):
            expect(fmt in p.options, f"format {fmt} not offered")
        files = {f[:-3]: open(os.path.join(args.queries, f), encoding="utf-8").read() for f in os.listdir(args.queries) if f.endswith(".rq")}
        expect(set(p.saved) == set(files), f"saved queries: {sorted(p.saved)} vs {sorted(files)}")
        for name, text in files.items():
            expect(p.saved[name] == text, f"saved query {name}: text differs")
        # Each saved query loads into the form without JavaScript too, and runs.
        name = sorted(files)[0]
        status, _, body = h.request("GET", "/?" + qs(saved=name))
        loaded = Page()
        loaded.feed(body.decode())
        expect(status == 200 and loaded.textarea == files[name], f"/?saved={name}")
        status, _, _ = h.request("POST", "/query", body=qs(query=files[name], format="").encode(), headers={"Content-Type": "application/x-www-form-urlencoded"})
        expect(status == 200, f"saved query {name} from the form: {status}")
        status, _, _ = h.request("GET", "/?" + qs(saved="no-such-query"))
        expect(status == 404, f"unknown saved query: {status}")

    c.check("query page", page)
    # Last: the evaluation of this one goes on for a while after its answer.
    c.check("timeout (503) on time when evaluation stops late", timeout_late_stop)

    h.close()
    total = c.passed + len(c.failed)
    print(f"serve_check: {c.passed} of {total} checks passed" + (f"; failed: {', '.join(c.failed)}" if c.failed else ""))
    sys.exit(1 if c.failed else 0)


if __name__ == "__main__":
    main()
