//! The public corrections list.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use domain::CorrectionEntry;

/// How many corrections `/corrections` lists, newest first.
pub const CORRECTIONS_LIMIT: i64 = 200;

/// Every kind of correction, newest first, for `/corrections`.
#[server(endpoint = "list_corrections", input = GetUrl)]
pub async fn list_corrections() -> Result<Vec<CorrectionEntry>, AppError> {
    use super::context::{db, fail};

    let db = db().map_err(fail)?;
    store::corrections::list_corrections(&db, None, CORRECTIONS_LIMIT)
        .await
        .map_err(|e| fail(e.into()))
}
