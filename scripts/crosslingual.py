#!/usr/bin/env python3
"""Cross-lingual agreement of an exported graph: for documents that are
translations of one another, the Jaccard index of their relation facts
(subject, predicate, object by IRI; citations by cited node) and of the
entities they mention, pairwise, with the differences.

Usage: scripts/crosslingual.py GRAPH.nq STEM STEM [STEM…]
(e.g. the seeds 000_564bb4f72c4e6f0b 002_e4aa9a8df6e4c856 004_4503f24d105d4ed2)."""
import itertools
import sys

import rdflib

PG = "https://w3id.org/policygraph/ontology#"
RDF = rdflib.RDF


def facts(ds, stem):
    for g in ds.graphs():
        if str(g.identifier).endswith("/graph/" + stem):
            rel, men = set(), set()
            for st in g.subjects(RDF.type, RDF.Statement):
                s, p, o = (g.value(st, x) for x in (RDF.subject, RDF.predicate, RDF.object))
                if str(p) == PG + "mentions":
                    men.add(str(o))
                elif str(p) == PG + "cites":
                    rel.add(("(document)", str(p), str(o)))
                else:
                    rel.add((str(s), str(p), str(o)))
            return rel, men
    sys.exit(f"no graph for {stem}")


def main():
    path, stems = sys.argv[1], sys.argv[2:]
    ds = rdflib.Dataset()
    ds.parse(path, format="nquads")
    got = {s: facts(ds, s) for s in stems}
    for a, b in itertools.combinations(stems, 2):
        for kind, i in (("relations", 0), ("mentions", 1)):
            x, y = got[a][i], got[b][i]
            j = len(x & y) / len(x | y) if x | y else 1.0
            print(f"{a} {b} {kind}: Jaccard {j:.3f} ({len(x)} vs {len(y)})")
            for d in sorted(x ^ y):
                print(f"    only in {a if d in x else b}: {d}")


if __name__ == "__main__":
    main()
