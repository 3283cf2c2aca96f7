//! A data set file (the seed's TOML format, docs/DATA.md) read so that
//! every problem found in it can name the file, the line and the field.

use std::ops::Range;
use std::path::{Path, PathBuf};

use domain::{DatasetProblem, FieldPath, FieldStep};
use toml_edit::{ImDocument, Item, Value};

/// A problem with an input file: where it is, as precisely as known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileProblem {
    pub file: PathBuf,
    /// Line and column, from 1.
    pub position: Option<(usize, usize)>,
    /// The field, e.g. `commitments[2].owed_by[1]`.
    pub field: Option<String>,
    pub message: String,
}

impl std::fmt::Display for FileProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some((line, column)) = self.position {
            write!(f, ":{line}:{column}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": {field}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A file read whole, with its TOML syntax tree when it parses, to find
/// fields in.
pub struct DataFile {
    path: PathBuf,
    text: String,
    tree: Option<ImDocument<String>>,
}

impl DataFile {
    pub fn read(path: &Path) -> Result<DataFile, FileProblem> {
        let text = std::fs::read_to_string(path).map_err(|error| FileProblem {
            file: path.to_owned(),
            position: None,
            field: None,
            message: format!("cannot be read: {error}"),
        })?;
        Ok(DataFile::from_text(path, text))
    }

    pub fn from_text(path: &Path, text: String) -> DataFile {
        let tree = ImDocument::parse(text.clone()).ok();
        DataFile {
            path: path.to_owned(),
            text,
            tree,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The file as `T`; a syntax error, a wrong type, an unknown field or a
    /// word outside a vocabulary is reported where it is.
    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T, FileProblem> {
        toml::from_str(&self.text).map_err(|error| {
            let offset = error.span().map(|span| span.start);
            FileProblem {
                file: self.path.clone(),
                position: offset.map(|at| line_and_column(&self.text, at)),
                field: offset.and_then(|at| self.field_at(at)),
                message: error.message().trim().to_owned(),
            }
        })
    }

    /// A problem found in the parsed data, placed at its field's line.
    pub fn locate(&self, problem: DatasetProblem) -> FileProblem {
        let span = self
            .tree
            .as_ref()
            .and_then(|tree| span_of(tree.as_item(), &problem.field.0));
        FileProblem {
            file: self.path.clone(),
            position: span.map(|span| line_and_column(&self.text, span.start)),
            field: (!problem.field.0.is_empty()).then(|| problem.field.to_string()),
            message: problem.message,
        }
    }

    /// The field whose value covers byte `at`, or the table it is in.
    fn field_at(&self, at: usize) -> Option<String> {
        let tree = self.tree.as_ref()?;
        let mut fields = Vec::new();
        collect_fields(tree.as_item(), &mut Vec::new(), &mut fields);
        let covering = fields
            .iter()
            .filter(|(_, span)| span.start <= at && at < span.end.max(span.start + 1))
            .min_by_key(|(_, span)| span.end - span.start);
        let preceding = || {
            fields
                .iter()
                .filter(|(_, span)| span.start <= at)
                .max_by_key(|(_, span)| span.start)
        };
        covering
            .or_else(preceding)
            .map(|(path, _)| path.to_string())
            .filter(|path| !path.is_empty())
    }
}

/// Line and column (from 1, the column in characters) of byte `at`.
pub fn line_and_column(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let before = text.get(..at).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Where the field `steps` leads to is written: its key when it is a key,
/// its value when it is a list entry; as far along the way as the file
/// goes when the field itself is missing.
fn span_of(item: &Item, steps: &[FieldStep]) -> Option<Range<usize>> {
    let own = item.span();
    let Some((first, rest)) = steps.split_first() else {
        return own;
    };
    let deeper = match first {
        FieldStep::Key(name) => item
            .as_table_like()
            .and_then(|table| table.get_key_value(name))
            .and_then(|(key, child)| {
                if rest.is_empty() {
                    key.span().or_else(|| child.span())
                } else {
                    span_of(child, rest).or_else(|| key.span())
                }
            }),
        FieldStep::Index(i) => match item {
            Item::ArrayOfTables(tables) => tables
                .get(*i)
                .and_then(|table| span_of(&Item::Table(table.clone()), rest)),
            Item::Value(Value::Array(values)) => values
                .get(*i)
                .and_then(|value| span_of(&Item::Value(value.clone()), rest)),
            _ => None,
        },
    };
    deeper.or(own)
}

/// Every field and table in `item` with the span of its value (a table:
/// its header).
fn collect_fields(item: &Item, path: &mut Vec<FieldStep>, out: &mut Vec<(FieldPath, Range<usize>)>) {
    if let Some(span) = item.span() {
        out.push((FieldPath(path.clone()), span));
    }
    match item {
        Item::Table(_) | Item::Value(Value::InlineTable(_)) => {
            if let Some(table) = item.as_table_like() {
                for (name, child) in table.iter() {
                    // Field names are the data set's own; a name it does
                    // not know is reported by the parser anyway.
                    let Some(name) = known_name(name) else { continue };
                    path.push(FieldStep::Key(name));
                    collect_fields(child, path, out);
                    path.pop();
                }
            }
        }
        Item::ArrayOfTables(tables) => {
            for (i, table) in tables.iter().enumerate() {
                path.push(FieldStep::Index(i));
                collect_fields(&Item::Table(table.clone()), path, out);
                path.pop();
            }
        }
        Item::Value(Value::Array(values)) => {
            for (i, value) in values.iter().enumerate() {
                path.push(FieldStep::Index(i));
                collect_fields(&Item::Value(value.clone()), path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// The field names of the data set and translations formats, as static
/// strings for `FieldStep::Key`.
const FIELD_NAMES: &[&str] = &[
    "summit",
    "parties",
    "sources",
    "commitments",
    "corrections",
    "slug",
    "title",
    "held_on",
    "location",
    "summary",
    "time_zone",
    "code",
    "name",
    "short_name",
    "leader",
    "key",
    "publisher",
    "via",
    "title_is",
    "published_on",
    "reported_on",
    "url",
    "kind",
    "quote",
    "theme",
    "proposed_by",
    "owed_by",
    "due_on",
    "due_basis",
    "due_note",
    "status",
    "party",
    "effective_on",
    "note",
    "made_on",
    "commitment",
    "what",
    "why",
    "translated_by",
    "ko",
    "zh",
];

fn known_name(name: &str) -> Option<&'static str> {
    FIELD_NAMES.iter().copied().find(|known| *known == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "[summit]\nslug = \"s\"\n\n[[commitments]]\nslug = \"a\"\n\n[[commitments]]\nslug = \"b\"\nowed_by = [\"cn\", \"xx\"]\n";

    #[test]
    fn lines_and_columns_count_from_one() {
        assert_eq!(line_and_column("ab\ncd", 0), (1, 1));
        assert_eq!(line_and_column("ab\ncd", 4), (2, 2));
        assert_eq!(line_and_column("한\nx", "한\n".len()), (2, 1));
    }

    #[test]
    fn a_problem_is_placed_at_its_fields_line() {
        let file = DataFile::from_text(Path::new("f.toml"), TEXT.to_owned());
        let problem = |steps: Vec<FieldStep>| DatasetProblem {
            field: FieldPath(steps),
            message: "m".into(),
        };
        use FieldStep::{Index, Key};
        let located = file.locate(problem(vec![Key("commitments"), Index(1), Key("owed_by"), Index(1)]));
        assert_eq!(located.to_string(), "f.toml:9:18: commitments[1].owed_by[1]: m");
        // A missing field: the table it belongs in.
        let located = file.locate(problem(vec![Key("commitments"), Index(0), Key("title")]));
        assert_eq!(located.position.map(|p| p.0), Some(4));
    }

    #[test]
    fn a_parse_error_names_the_field_it_is_in() {
        #[derive(Debug, serde::Deserialize)]
        struct Commitment {
            #[allow(dead_code)]
            slug: domain::Slug,
        }
        #[derive(Debug, serde::Deserialize)]
        struct Doc {
            #[allow(dead_code)]
            commitments: Vec<Commitment>,
        }
        let text = "[[commitments]]\nslug = \"a\"\n\n[[commitments]]\nslug = \"Not A Slug\"\n";
        let file = DataFile::from_text(Path::new("f.toml"), text.to_owned());
        let problem = file.parse::<Doc>().unwrap_err();
        assert_eq!(problem.position.map(|p| p.0), Some(5), "{problem}");
        assert_eq!(problem.field.as_deref(), Some("commitments[1].slug"), "{problem}");
    }
}
