#!/usr/bin/env python3
"""Validates RDF files against SHACL shapes with pySHACL, each file as one
graph (the union of its named graphs, as `policygraph validate` does), and
prints one JSON object: {FILE: {"conforms": bool, "results": [[focus, path,
component], ...]}} with IRIs in full, blank nodes as "_:ID", an inverse path as "^IRI", the
component's local name (MinCountConstraintComponent) and results sorted.

Usage: shacl_check.py SHAPES.ttl DATA... (format from the file extension)."""
import json
import sys

import rdflib
from pyshacl import validate

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
FORMATS = {"nq": "nquads", "nt": "nt", "ttl": "turtle", "trig": "trig", "jsonld": "json-ld", "rdf": "xml"}


def union_graph(path):
    ds = rdflib.Dataset()
    ds.parse(path, format=FORMATS[path.rsplit(".", 1)[-1]])
    g = rdflib.Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def node_text(n):
    return "_:" + str(n) if isinstance(n, rdflib.BNode) else str(n)


def path_text(report, path):
    inverse = report.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + str(inverse)
    return str(path)


def main():
    shapes = rdflib.Graph().parse(sys.argv[1], format="turtle")
    out = {}
    for data in sys.argv[2:]:
        conforms, report, _ = validate(union_graph(data), shacl_graph=shapes, inference="none")
        results = []
        for r in report.subjects(rdflib.RDF.type, SH.ValidationResult):
            path = report.value(r, SH.resultPath)
            component = str(report.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[-1]
            results.append([node_text(report.value(r, SH.focusNode)), "" if path is None else path_text(report, path), component])
        out[data] = {"conforms": bool(conforms), "results": sorted(results)}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
