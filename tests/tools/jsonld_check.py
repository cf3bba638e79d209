#!/usr/bin/env python3
"""Checks a compact JSON-LD export against the N-Quads export of the same store:
expanded by pyld (JSON-LD 1.1 processor) and parsed by rdflib, it must give
exactly the same quads (named graphs included; blank nodes, if any, compared
as isomorphic graphs). Also checks that it is compact: an inline @context
object, node objects under one @graph per named graph, short keys.

Usage: jsonld_check.py EXPORT.jsonld EXPORT.nq [CONTEXT.jsonld]
With CONTEXT, also checks that the inline context is the published one.
Prints "ok QUADS GRAPHS" or exits with a message."""
import json
import sys

import rdflib
from rdflib.compare import isomorphic
from pyld import jsonld


def no_remote_documents(url, options=None):
    """The export must expand offline: any fetch is an error."""
    raise RuntimeError(f"JSON-LD tried to load {url}")


def quads_of(ds):
    """Quads of an rdflib Dataset as (graph, s, p, o) strings, and whether
    blank nodes occur."""
    out, bnodes = set(), False
    for s, p, o, g in ds.quads((None, None, None, None)):
        g = getattr(g, "identifier", g)
        if any(isinstance(t, rdflib.BNode) for t in (s, o)):
            bnodes = True
        out.add((canon(g), s.n3(), p.n3(), canon(o)))
    return out, bnodes


def canon(t):
    """Literals compared by lexical form, datatype and language."""
    if isinstance(t, rdflib.Literal):
        dt = t.datatype or ("" if t.language else str(rdflib.XSD.string))
        return f"{str(t)!r}^^{dt}@{t.language or ''}"
    if t is None or str(t) == str(rdflib.graph.DATASET_DEFAULT_GRAPH_ID):
        return "DEFAULT"
    return t.n3()


def dataset(data, fmt):
    ds = rdflib.Dataset()
    ds.parse(data=data, format=fmt)
    return ds


def same(name, got, want):
    (gq, gb), (wq, wb) = quads_of(got), quads_of(want)
    if not (gb or wb):
        if gq != wq:
            missing, extra = sorted(wq - gq)[:5], sorted(gq - wq)[:5]
            sys.exit(f"{name}: {len(wq - gq)} quads missing {missing}, {len(gq - wq)} extra {extra}")
        return
    graphs = {g for g, *_ in gq} | {g for g, *_ in wq}
    for g in graphs:
        a = [c for c in got.contexts() if canon(c.identifier) == g]
        b = [c for c in want.contexts() if canon(c.identifier) == g]
        if not (a and b and isomorphic(a[0], b[0])):
            sys.exit(f"{name}: graph {g} differs")


def check_compact(doc, context_path):
    if not isinstance(doc.get("@context"), dict):
        sys.exit("no inline @context object")
    if context_path:
        with open(context_path, encoding="utf-8") as f:
            published = json.load(f)["@context"]
        if doc["@context"] != published:
            sys.exit("inline @context differs from the published context")
    terms = set(doc["@context"])
    graphs = doc.get("@graph")
    if not isinstance(graphs, list) or not graphs:
        sys.exit("no top-level @graph")
    keys, fallback, ids = 0, 0, set()
    for g in graphs:
        if "@graph" not in g:
            continue
        for node in g["@graph"]:
            if node["@id"] in ids:
                sys.exit(f"{node['@id']}: more than one top-level object in a graph")
            ids.add(node["@id"])
            for k in node:
                if k.startswith("@"):
                    continue
                keys += 1
                if k not in terms:
                    if "://" in k:
                        sys.exit(f"{node['@id']}: full IRI as key {k}")
                    fallback += 1
        ids.clear()
    if keys == 0 or fallback > keys / 100:
        sys.exit(f"{fallback} of {keys} keys are not context terms")


def main():
    path, nq = sys.argv[1], sys.argv[2]
    context_path = sys.argv[3] if len(sys.argv) > 3 else None
    with open(path, encoding="utf-8") as f:
        text = f.read()
    doc = json.loads(text)
    check_compact(doc, context_path)
    with open(nq, encoding="utf-8") as f:
        want = dataset(f.read(), "nquads")
    expanded = jsonld.to_rdf(
        doc, {"format": "application/n-quads", "documentLoader": no_remote_documents}
    )
    same("pyld", dataset(expanded, "nquads"), want)
    same("rdflib", dataset(text, "json-ld"), want)
    quads, _ = quads_of(want)
    print("ok", len(quads), len({g for g, *_ in quads}))


if __name__ == "__main__":
    main()
