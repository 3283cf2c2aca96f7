//! A stored summit read back as a data set: what was seeded comes back,
//! and reading, storing elsewhere and reading again changes nothing.

use crate::summit_dataset::{read_dataset, taken_slugs};
use crate::test_fixture::{both_engines, seeded};
use crate::Db;

both_engines!(a_seeded_summit_reads_back_as_its_data_set);
async fn a_seeded_summit_reads_back_as_its_data_set(db: Db) {
    let seed = seeded(&db).await;
    let read = read_dataset(&db, seed.summit.slug.as_str())
        .await
        .unwrap()
        .expect("the summit is stored");
    assert_eq!(read.validate(), Ok(()));
    assert_eq!(read.summit, seed.summit);
    assert_eq!(read.parties, seed.parties);
    assert_eq!(read.corrections, seed.corrections);
    let quotes = |d: &domain::Dataset| {
        let mut q: Vec<String> = d.sources.iter().map(|s| s.quote.clone()).collect();
        q.sort();
        q
    };
    assert_eq!(quotes(&read), quotes(&seed));
    assert_eq!(read.commitments.len(), seed.commitments.len());
    let quote_of = |d: &domain::Dataset, key: &str| d.sources.iter().find(|s| s.key == key).unwrap().quote.clone();
    for (got, want) in read.commitments.iter().zip(&seed.commitments) {
        assert_eq!(
            (&got.slug, &got.title, &got.owed_by),
            (&want.slug, &want.title, &want.owed_by)
        );
        assert_eq!(got.status.len(), want.status.len(), "{}", want.slug);
        for (g, w) in got.status.iter().zip(&want.status) {
            assert_eq!(
                (&g.party, g.status, g.effective_on, &g.note),
                (&w.party, w.status, w.effective_on, &w.note)
            );
            let cited = |d, keys: &[String]| {
                let mut q: Vec<String> = keys.iter().map(|k| quote_of(d, k)).collect();
                q.sort();
                q
            };
            assert_eq!(cited(&read, &g.sources), cited(&seed, &w.sources), "{}", want.slug);
        }
    }
    assert_eq!(read_dataset(&db, "no-such-summit").await.unwrap(), None);
}

both_engines!(taken_slugs_name_the_summit_and_commitments_already_stored);
async fn taken_slugs_name_the_summit_and_commitments_already_stored(db: Db) {
    let mut data = crate::test_fixture::dataset();
    assert_eq!(taken_slugs(&db, &data).await.unwrap(), Default::default());
    seeded(&db).await;
    let taken = taken_slugs(&db, &data).await.unwrap();
    assert!(taken.summit);
    assert_eq!(taken.commitments.len(), data.commitments.len());
    data.summit.slug = domain::Slug::parse("another-summit").unwrap();
    data.commitments.truncate(1);
    let taken = taken_slugs(&db, &data).await.unwrap();
    assert!(!taken.summit);
    assert_eq!(taken.commitments, vec![data.commitments[0].slug.to_string()]);
}
