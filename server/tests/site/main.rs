//! The server's integration tests, one binary: each module drives the whole
//! site (router, server functions, store, a real SQLite file) as a reader,
//! an editor, an API client or an attacker would. One binary links the
//! stack once instead of once per file.

mod support;

mod api_outer_limits;
mod api_schemathesis;
mod api_v1;
mod backup;
mod client_addresses;
mod command_line;
mod connections;
mod costly;
mod dataset_import;
mod discoverability;
mod discovery;
mod editing;
mod engines;
mod evidence;
mod flash;
mod hardening;
mod hostile;
mod http;
mod languages;
mod methodology;
mod migrate_db;
mod nu_html_checker;
mod oembed;
mod page_cache;
mod page_cache_scope;
mod postgres_backup;
mod promises;
mod readme_promises;
mod reuse;
mod review_queue;
mod search_counts;
mod secrets_at_rest;
mod sign_in_limits;
