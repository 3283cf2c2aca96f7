"""Checks a sitemap or sitemap index against the sitemaps.org protocol 0.9.

Usage: check_sitemap.py FILE.xml

The file is parsed by expat (any XML error fails). Then, as the protocol's
schema (sitemap.xsd, siteindex.xsd) says: the root is <urlset> or
<sitemapindex> in the protocol's namespace, with at most 50,000 children
<url> (or <sitemap>), each with exactly one absolute http(s) <loc> of at
most 2,048 characters, at most one <lastmod> in W3C Datetime, and nothing
else in the protocol's namespace; <xhtml:link> alternates have rel,
hreflang and an absolute href. Prints {"kind": ..., "entries": [{"loc",
"lastmod", "alternates": {hreflang: href}}]} as JSON.
"""

import json
import re
import sys
import xml.etree.ElementTree as ET

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
W3C_DATETIME = re.compile(
    r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$")


def fail(message):
    sys.exit("sitemap: " + message)


def main():
    root = ET.parse(sys.argv[1]).getroot()
    kinds = {SITEMAP + "urlset": SITEMAP + "url", SITEMAP + "sitemapindex": SITEMAP + "sitemap"}
    if root.tag not in kinds:
        fail("root element is " + root.tag)
    entries = []
    for child in root:
        if child.tag != kinds[root.tag]:
            fail("unexpected element " + child.tag)
        entry = {"loc": None, "lastmod": None, "alternates": {}}
        for field in child:
            if field.tag == SITEMAP + "loc":
                if entry["loc"] is not None:
                    fail("two <loc>")
                loc = (field.text or "").strip()
                if not re.match(r"^https?://", loc) or len(loc) > 2048:
                    fail("bad <loc> " + loc)
                entry["loc"] = loc
            elif field.tag == SITEMAP + "lastmod":
                if entry["lastmod"] is not None or not W3C_DATETIME.match(field.text or ""):
                    fail("bad <lastmod> " + str(field.text))
                entry["lastmod"] = field.text
            elif field.tag == XHTML + "link" and root.tag == SITEMAP + "urlset":
                href, lang = field.get("href", ""), field.get("hreflang", "")
                if field.get("rel") != "alternate" or not lang or not re.match(r"^https?://", href):
                    fail("bad alternate " + str(field.attrib))
                entry["alternates"][lang] = href
            elif field.tag.startswith(SITEMAP):
                fail("element not allowed here: " + field.tag)
        if entry["loc"] is None:
            fail("an entry without <loc>")
        entries.append(entry)
    if len(entries) > 50000:
        fail("more than 50,000 entries")
    kind = "urlset" if root.tag == SITEMAP + "urlset" else "sitemapindex"
    json.dump({"kind": kind, "entries": entries}, sys.stdout)


if __name__ == "__main__":
    main()
