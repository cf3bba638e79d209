#!/usr/bin/env python3
"""Parse an RDF file with rdflib and print its triple count and a hash of the
set of triples (graph names ignored), so that exports in different formats can
be compared. Usage: rdf_check.py FILE FORMAT (rdflib format name)."""
import hashlib
import sys

import rdflib


def main():
    path, fmt = sys.argv[1], sys.argv[2]
    ds = rdflib.Dataset(default_union=True)
    ds.parse(path, format=fmt)
    triples = set()
    for s, p, o in ds.triples((None, None, None)):
        if isinstance(s, rdflib.BNode) or isinstance(o, rdflib.BNode):
            sys.exit(f"{path}: unexpected blank node")
        triples.add((s.n3(), p.n3(), canon(o)))
    h = hashlib.sha256("\n".join(sorted("\t".join(t) for t in triples)).encode()).hexdigest()
    print(len(triples), h)


def canon(o):
    """Literals compared by lexical form, datatype and language, whatever the
    syntax used to write them."""
    if isinstance(o, rdflib.Literal):
        dt = o.datatype or ("" if o.language else str(rdflib.XSD.string))
        return f"{str(o)!r}^^{dt}@{o.language or ''}"
    return o.n3()


if __name__ == "__main__":
    main()
