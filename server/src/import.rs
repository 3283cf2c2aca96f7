//! `accord import`: adds a summit data set (docs/DATA.md) to a site's
//! database. The file gets the checks the shipped seed gets (its types and
//! vocabularies, its cross-references, every quote copied exactly from the
//! source text given beside it, its translations) and the database's own
//! (a summit or commitment slug already taken); then it is stored in one
//! transaction, or not at all.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use domain::{Dataset, DatasetProblem, FieldPath, FieldStep, SeedTranslations};
use store::Db;

use crate::dataset_file::{DataFile, FileProblem};

/// What `accord import` was asked to do.
#[derive(Clone, Debug)]
pub struct ImportRequest {
    /// The data set file.
    pub file: PathBuf,
    /// The texts the quotes are copied from; every quote must occur
    /// exactly in one of them.
    pub source_texts: Vec<PathBuf>,
    /// Translations of the summit and its commitments, if any.
    pub translations: Option<PathBuf>,
    /// The operator running the import, credited in the history and feeds.
    pub recorded_by: String,
    /// Check everything, write nothing.
    pub dry_run: bool,
}

/// What was (or, in a dry run, would be) stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportSummary {
    pub summit: String,
    pub commitments: usize,
    pub sources: usize,
    pub statuses: usize,
    pub translated: bool,
    pub dry_run: bool,
}

impl std::fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = format!(
            "summit `{}`: {} commitments, {} sources, {} statuses{}",
            self.summit,
            self.commitments,
            self.sources,
            self.statuses,
            if self.translated { ", with translations" } else { "" }
        );
        if self.dry_run {
            write!(
                f,
                "dry run: the file is valid and would import {what}; nothing was written"
            )
        } else {
            write!(f, "imported {what}")
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{}", refusal(.0))]
    Refused(Vec<FileProblem>),
    #[error("nothing was imported: {0}")]
    Store(#[from] store::seed::SeedError),
    #[error("nothing was imported: database: {0}")]
    Database(#[from] sqlx::Error),
}

/// Every problem, one a line, under a count.
fn refusal(problems: &[FileProblem]) -> String {
    let mut said = format!(
        "nothing was imported: {} problem{} found",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for problem in problems {
        said.push_str(&format!("\n  {problem}"));
    }
    said
}

/// How the operator is credited on every status and source of the import:
/// their name and the file it came from, so the history says where the data
/// entered the site.
pub fn credit(recorded_by: &str, file: &Path) -> String {
    let name = file
        .file_name()
        .map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().into_owned());
    format!("{} (import of {name})", recorded_by.trim())
}

/// Checks the request's files and, unless it is a dry run, stores them.
pub async fn import(db: &Db, request: &ImportRequest, now: DateTime<Utc>) -> Result<ImportSummary, ImportError> {
    let checked = check(db, request).await?;
    let summary = ImportSummary {
        summit: checked.dataset.summit.slug.to_string(),
        commitments: checked.dataset.commitments.len(),
        sources: checked.dataset.sources.len(),
        statuses: checked.dataset.commitments.iter().map(|c| c.status.len()).sum(),
        translated: checked.translations.is_some(),
        dry_run: request.dry_run,
    };
    if request.dry_run {
        return Ok(summary);
    }
    let credit = credit(&request.recorded_by, &request.file);
    match store::seed::import_dataset(db, &checked.dataset, checked.translations.as_ref(), &credit, now).await {
        Ok(()) => Ok(summary),
        // Taken between the check and the write (another import at once).
        Err(store::seed::SeedError::AlreadyLoaded(slug)) => {
            Err(ImportError::Refused(vec![checked.data_file.locate(slug_taken(&slug))]))
        }
        Err(error) => Err(error.into()),
    }
}

struct Checked {
    data_file: DataFile,
    dataset: Dataset,
    translations: Option<SeedTranslations>,
}

/// Every check, every problem found at once so a file is fixed in one pass.
async fn check(db: &Db, request: &ImportRequest) -> Result<Checked, ImportError> {
    let mut problems = Vec::new();
    if request.recorded_by.trim().is_empty() {
        problems.push(FileProblem {
            file: request.file.clone(),
            position: None,
            field: None,
            message: "--recorded-by must name who is importing it".to_owned(),
        });
    }
    if request.source_texts.is_empty() {
        problems.push(FileProblem {
            file: request.file.clone(),
            position: None,
            field: None,
            message: "give the text its quotes are copied from with --source-text".to_owned(),
        });
    }
    let mut texts = Vec::new();
    for path in &request.source_texts {
        match DataFile::read(path) {
            Ok(text) => texts.push(text),
            Err(problem) => problems.push(problem),
        }
    }
    let data_file = DataFile::read(&request.file).map_err(|problem| {
        problems.push(problem);
        ImportError::Refused(problems.clone())
    })?;
    let dataset: Dataset = match data_file.parse() {
        Ok(dataset) => dataset,
        Err(problem) => {
            problems.push(problem);
            return Err(ImportError::Refused(problems));
        }
    };
    problems.extend(locate_all(&data_file, dataset.problems()));
    if !texts.is_empty() {
        let text_refs: Vec<&str> = texts.iter().map(|t| t.text()).collect();
        let names: Vec<String> = texts.iter().map(|t| t.path().display().to_string()).collect();
        problems.extend(
            locate_all(&data_file, dataset.misquoted(&text_refs))
                .into_iter()
                .map(|mut problem| {
                    problem.message = format!("{} (not in {})", problem.message, names.join(", "));
                    problem
                }),
        );
    }
    let translations = match &request.translations {
        None => None,
        Some(path) => match DataFile::read(path).and_then(|file| {
            let parsed: SeedTranslations = file.parse()?;
            Ok((file, parsed))
        }) {
            Ok((file, parsed)) => {
                problems.extend(locate_all(&file, parsed.problems(&dataset)));
                Some(parsed)
            }
            Err(problem) => {
                problems.push(problem);
                None
            }
        },
    };
    let taken = store::summit_dataset::taken_slugs(db, &dataset).await?;
    if taken.summit {
        problems.push(data_file.locate(slug_taken(dataset.summit.slug.as_str())));
    }
    for (i, commitment) in dataset.commitments.iter().enumerate() {
        if taken.commitments.iter().any(|slug| slug == commitment.slug.as_str()) {
            problems.push(data_file.locate(DatasetProblem {
                field: FieldPath(vec![
                    FieldStep::Key("commitments"),
                    FieldStep::Index(i),
                    FieldStep::Key("slug"),
                ]),
                message: format!(
                    "a commitment with slug `{}` is already stored (commitment slugs are unique across summits)",
                    commitment.slug
                ),
            }));
        }
    }
    if problems.is_empty() {
        Ok(Checked {
            data_file,
            dataset,
            translations,
        })
    } else {
        Err(ImportError::Refused(problems))
    }
}

fn locate_all(file: &DataFile, problems: Vec<DatasetProblem>) -> Vec<FileProblem> {
    problems.into_iter().map(|problem| file.locate(problem)).collect()
}

fn slug_taken(slug: &str) -> DatasetProblem {
    DatasetProblem {
        field: FieldPath(vec![FieldStep::Key("summit"), FieldStep::Key("slug")]),
        message: format!("a summit with slug `{slug}` is already stored"),
    }
}
