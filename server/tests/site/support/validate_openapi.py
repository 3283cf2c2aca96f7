"""Checks the JSON API against its own OpenAPI 3.1 document.

    validate_openapi.py doc DOC.json [--path /api/v1/x ...]
        The document has the shape of an OpenAPI 3.1 document, each --path
        is in it with a GET operation, every schema in it is a valid JSON
        Schema (2020-12) and every "$ref" in it resolves.

    validate_openapi.py response DOC.json PATH METHOD STATUS [BODY.json | -]
        The response body (a file, or standard input for "-") validates
        against the schema the document declares for that path template,
        method, status code and application/json.

Exits 0 when the check passes; otherwise prints why to standard error and
exits 1. Run by server/tests/site/api_v1.rs with the project's Python venv
(jsonschema 4.26 and its `referencing` library).
"""

import argparse
import json
import sys

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError, best_match
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012

DOC_URI = "urn:accord:openapi"
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


class CheckFailed(Exception):
    pass


def pointer(*parts):
    """A JSON pointer fragment for the given keys (RFC 6901 escaping)."""
    return "#/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def load_json(path):
    try:
        if path == "-":
            return json.load(sys.stdin)
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError) as error:
        raise CheckFailed(f"cannot read JSON from {path}: {error}")


def registry_for(doc):
    """A registry in which the whole document is one 2020-12 resource, so
    "#/components/schemas/X" inside any schema resolves against it."""
    resource = Resource.from_contents(doc, default_specification=DRAFT202012)
    return Registry().with_resource(DOC_URI, resource)


def validator_for(doc, fragment):
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": DOC_URI + fragment}
    return Draft202012Validator(
        schema,
        registry=registry_for(doc),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def resolve_local(doc, ref):
    if not ref.startswith("#/"):
        raise CheckFailed(f"only local references are expected, found {ref!r}")
    resolver = registry_for(doc).resolver(base_uri=DOC_URI)
    try:
        return resolver.lookup(ref).contents
    except Unresolvable:
        raise CheckFailed(f"reference {ref!r} does not resolve")


def check_document(doc, required_paths):
    problems = []
    if not isinstance(doc, dict):
        raise CheckFailed("the document is not a JSON object")
    version = doc.get("openapi")
    if not (isinstance(version, str) and version.startswith("3.1.")):
        problems.append(f"openapi must be a 3.1.x version string, found {version!r}")
    info = doc.get("info")
    if not (isinstance(info, dict) and isinstance(info.get("title"), str) and isinstance(info.get("version"), str)):
        problems.append("info must have a title and a version")
    paths = doc.get("paths")
    if not isinstance(paths, dict):
        raise CheckFailed("paths must be an object")
    for path in required_paths:
        if path not in paths:
            problems.append(f"path {path} is missing")
        elif "get" not in paths[path]:
            problems.append(f"path {path} has no GET operation")
    for path, item in paths.items():
        if not path.startswith("/"):
            problems.append(f"path {path!r} must start with /")
        for method, operation in item.items():
            if method not in METHODS:
                continue
            responses = operation.get("responses")
            if not isinstance(responses, dict) or not responses:
                problems.append(f"{method.upper()} {path} declares no responses")
                continue
            for status, response in responses.items():
                if "$ref" in response:
                    response = resolve_local(doc, response["$ref"])
                if not isinstance(response.get("description"), str):
                    problems.append(f"{method.upper()} {path} {status}: a response needs a description")
                schema = response.get("content", {}).get("application/json", {}).get("schema")
                if schema is None:
                    problems.append(f"{method.upper()} {path} {status}: no application/json schema")
            for parameter in operation.get("parameters", []):
                if parameter.get("in") not in {"query", "path", "header", "cookie"}:
                    problems.append(f"{method.upper()} {path}: parameter {parameter.get('name')!r} has a bad 'in'")
                if parameter.get("in") == "path" and parameter.get("required") is not True:
                    problems.append(f"{method.upper()} {path}: path parameter {parameter.get('name')!r} must be required")
    schemas = doc.get("components", {}).get("schemas", {})
    for name, schema in schemas.items():
        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError as error:
            problems.append(f"components.schemas.{name} is not a valid JSON Schema: {error.message}")
    # Every reference anywhere in the document must resolve.
    for ref in sorted(set(find_refs(doc))):
        try:
            resolve_local(doc, ref)
        except CheckFailed as error:
            problems.append(str(error))
    if problems:
        raise CheckFailed("the OpenAPI document is malformed:\n  " + "\n  ".join(problems))


def find_refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from find_refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from find_refs(value)


def check_response(doc, path, method, status, body):
    method = method.lower()
    operation = doc.get("paths", {}).get(path, {}).get(method)
    if operation is None:
        raise CheckFailed(f"the document has no {method.upper()} {path}")
    responses = operation.get("responses", {})
    if status not in responses:
        raise CheckFailed(f"{method.upper()} {path} declares no {status} response (it has {sorted(responses)})")
    response = responses[status]
    fragment_parts = ["paths", path, method, "responses", status]
    if "$ref" in response:
        ref = response["$ref"]
        response = resolve_local(doc, ref)
        fragment_parts = [p.replace("~1", "/").replace("~0", "~") for p in ref[2:].split("/")]
    if "application/json" not in response.get("content", {}):
        raise CheckFailed(f"{method.upper()} {path} {status} has no application/json content")
    fragment = pointer(*fragment_parts, "content", "application/json", "schema")
    validator = validator_for(doc, fragment)
    errors = list(validator.iter_errors(body))
    if errors:
        lines = []
        for error in sorted(errors, key=lambda e: list(e.absolute_path))[:10]:
            where = "/".join(str(p) for p in error.absolute_path) or "(root)"
            lines.append(f"at {where}: {error.message}")
        best = best_match(errors)
        raise CheckFailed(
            f"{method.upper()} {path} {status}: the body does not match its schema "
            f"({len(errors)} error(s); most relevant: {best.message}):\n  " + "\n  ".join(lines)
        )


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    doc_command = commands.add_parser("doc")
    doc_command.add_argument("doc")
    doc_command.add_argument("--path", action="append", default=[])
    response_command = commands.add_parser("response")
    response_command.add_argument("doc")
    response_command.add_argument("path")
    response_command.add_argument("method")
    response_command.add_argument("status")
    response_command.add_argument("body", nargs="?", default="-")
    args = parser.parse_args(argv)
    try:
        doc = load_json(args.doc)
        if args.command == "doc":
            check_document(doc, args.path)
            print(f"ok: OpenAPI {doc['openapi']} document with {len(doc['paths'])} paths")
        else:
            check_response(doc, args.path, args.method, args.status, load_json(args.body))
            print(f"ok: {args.method.upper()} {args.path} {args.status}")
    except CheckFailed as error:
        print(f"validate_openapi: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
