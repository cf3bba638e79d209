#!/usr/bin/env python3
"""Checks a DCAT description (Turtle) with rdflib against the mandatory
properties of DCAT-AP 3 (Catalog: title, description, publisher, dataset;
Dataset: title, description; Distribution: accessURL; DataService: title,
endpointURL; Agent: name) and what policygraph promises (licence, languages
from the EU authority, IANA media types, source documents).

Usage: dcat_check.py FILE.ttl [ENDPOINT]. Prints "ok DISTRIBUTIONS" or exits
with the list of failed checks."""
import sys

import rdflib

PREFIXES = """
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

# (what, ASK that must be true)
CHECKS = [
    ("one catalogue with title, description, publisher and dataset",
     "ASK { ?c a dcat:Catalog ; dcterms:title ?t ; dcterms:description ?d ; dcterms:publisher ?p ; dcat:dataset ?ds . ?ds a dcat:Dataset }"),
    ("every dataset has a title and a description",
     "ASK { FILTER NOT EXISTS { ?ds a dcat:Dataset FILTER NOT EXISTS { ?ds dcterms:title ?t ; dcterms:description ?d } } }"),
    ("every distribution has an access URL (an IRI)",
     "ASK { FILTER NOT EXISTS { ?x a dcat:Distribution FILTER NOT EXISTS { ?x dcat:accessURL ?u FILTER(isIRI(?u)) } } }"),
    ("every distribution has an IANA media type and an EU file type",
     "ASK { FILTER NOT EXISTS { ?x a dcat:Distribution FILTER NOT EXISTS { ?x dcat:mediaType ?m ; dcterms:format ?f "
     "FILTER(STRSTARTS(STR(?m), 'https://www.iana.org/assignments/media-types/') && STRSTARTS(STR(?f), 'http://publications.europa.eu/resource/authority/file-type/')) } } }"),
    ("every distribution has the CC BY 4.0 licence",
     "ASK { FILTER NOT EXISTS { ?x a dcat:Distribution FILTER NOT EXISTS { ?x dcterms:license <http://publications.europa.eu/resource/authority/licence/CC_BY_4_0> } } }"),
    ("every publisher is an agent with a name",
     "ASK { FILTER NOT EXISTS { ?s dcterms:publisher ?p FILTER NOT EXISTS { ?p a foaf:Agent ; foaf:name ?n } } }"),
    ("the dataset has issued and modified dates",
     "ASK { ?ds a dcat:Dataset ; dcterms:issued ?i ; dcterms:modified ?m FILTER(datatype(?i) = xsd:dateTime) }"),
    ("languages from the EU language authority, Dutch among them",
     "ASK { ?ds a dcat:Dataset ; dcterms:language <http://publications.europa.eu/resource/authority/language/NLD> "
     "FILTER NOT EXISTS { ?ds dcterms:language ?l FILTER(!STRSTARTS(STR(?l), 'http://publications.europa.eu/resource/authority/language/')) } }"),
    ("derived from the source documents",
     "ASK { ?ds a dcat:Dataset ; prov:wasDerivedFrom ?d FILTER(STRSTARTS(STR(?d), 'https://w3id.org/policygraph/id/source/')) }"),
]

ENDPOINT_CHECK = ("the SPARQL endpoint is a data service serving the dataset",
                  "ASK { ?c dcat:service ?s . ?s a dcat:DataService ; dcterms:title ?t ; dcat:endpointURL <%s> ; dcat:servesDataset ?ds }")


def main():
    g = rdflib.Graph().parse(sys.argv[1], format="turtle")
    checks = list(CHECKS)
    if len(sys.argv) > 2:
        checks.append((ENDPOINT_CHECK[0], ENDPOINT_CHECK[1] % sys.argv[2]))
    else:
        checks.append(("no data service without an endpoint", "ASK { FILTER NOT EXISTS { ?s a dcat:DataService } }"))
    failed = [what for what, ask in checks if not g.query(PREFIXES + ask).askAnswer]
    if failed:
        sys.exit("failed: " + "; ".join(failed))
    n = len(set(g.subjects(rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/dcat#Distribution"))))
    print("ok", n)


if __name__ == "__main__":
    main()
