"""Reads an Atom feed Accord served with feedparser, the parser most feed
readers' behaviour is compared against, and checks it.

usage: check_feed.py FEED_FILE CONTENT_TYPE EXPECTED_JSON_FILE

EXPECTED_JSON_FILE holds {"count": N, "entries": [{"title": ..., "link": ...}]}:
the number of entries, and what the first entries must carry, in order
(any keys of the printed entries). On success the parsed feed is printed as
one line of JSON; on failure the reason goes to stderr and the exit code is 1.
"""

import json
import sys

import feedparser


def fail(message):
    print(f"check_feed: {message}", file=sys.stderr)
    sys.exit(1)


def main():
    if len(sys.argv) != 4:
        fail(__doc__)
    feed_path, content_type, expected_path = sys.argv[1:]
    with open(feed_path, "rb") as handle:
        data = handle.read()
    with open(expected_path, encoding="utf-8") as handle:
        expected = json.load(handle)

    parsed = feedparser.parse(data, response_headers={"content-type": content_type})
    if parsed.bozo:
        fail(f"the feed is not clean: {parsed.bozo_exception!r}")
    if parsed.version != "atom10":
        fail(f"expected an Atom 1.0 feed, feedparser saw {parsed.version!r}")

    entries = [
        {
            "id": entry.get("id"),
            "title": entry.get("title"),
            "link": entry.get("link"),
            "updated": entry.get("updated"),
            "author": entry.get("author"),
            "summary": entry.get("summary"),
        }
        for entry in parsed.entries
    ]
    if len(entries) != expected["count"]:
        fail(f"expected {expected['count']} entries, found {len(entries)}")
    for index, wanted in enumerate(expected["entries"]):
        for key, value in wanted.items():
            if entries[index].get(key) != value:
                fail(f"entry {index}: {key} is {entries[index].get(key)!r}, expected {value!r}")

    feed = parsed.feed
    print(
        json.dumps(
            {
                "version": parsed.version,
                "title": feed.get("title"),
                "id": feed.get("id"),
                "updated": feed.get("updated"),
                "links": [
                    {"rel": link.get("rel"), "href": link.get("href"), "type": link.get("type")}
                    for link in feed.get("links", [])
                ],
                "entries": entries,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
