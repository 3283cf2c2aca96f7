"""Reads the JSON-LD of an HTML page as a JSON-LD processor would.

Usage: check_jsonld.py PAGE.html

Every <script type="application/ld+json"> is parsed as JSON and flattened
by pyld (the JSON-LD 1.1 algorithms), which fails on anything that is not
valid JSON-LD. Prints one JSON list: for each script, the flattened graph
(every node with its full schema.org IRIs).

The processor resolves "https://schema.org" with the context schema.org
publishes, whose essence is "@vocab": "http://schema.org/"; tests run
offline, so that context is given here rather than downloaded, and any
other remote document is refused.
"""

import json
import sys
from html.parser import HTMLParser

from pyld import jsonld

SCHEMA_ORG_CONTEXT = {"@context": {"@vocab": "http://schema.org/"}}


def load_document(url, options=None):
    if url.rstrip("/") in ("https://schema.org", "http://schema.org"):
        return {"contentType": "application/ld+json", "contextUrl": None,
                "documentUrl": url, "document": SCHEMA_ORG_CONTEXT}
    raise jsonld.JsonLdError("remote document refused in tests: " + url,
                             "jsonld.LoadDocumentError", code="loading document failed")


class Scripts(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "script" and dict(attrs).get("type") == "application/ld+json":
            self.inside = True
            self.found.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self.inside = False

    def handle_data(self, data):
        if self.inside:
            self.found[-1] += data


def main():
    with open(sys.argv[1], encoding="utf-8") as page:
        html = page.read()
    parser = Scripts()
    parser.feed(html)
    graphs = []
    for text in parser.found:
        document = json.loads(text)
        graphs.append(jsonld.flatten(document, None, {"documentLoader": load_document}))
    json.dump(graphs, sys.stdout)


if __name__ == "__main__":
    main()
