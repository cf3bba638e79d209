//! Oxigraph's own bulk load of an N-Quads file, as the reference the
//! benchmark (`scripts/bench_build.py`) compares `policygraph`'s store loading
//! with: `cargo run --release --example bulk_load -- FILE.nq [ROCKSDB_DIR]`
//! (the directory only with `--features rocksdb`). Prints quads and seconds.

use std::time::Instant;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::store::Store;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let file = args
        .next()
        .ok_or("usage: bulk_load FILE.nq [ROCKSDB_DIR]")?;
    let started = Instant::now();
    let store = match args.next() {
        #[cfg(feature = "rocksdb")]
        Some(dir) => Store::open(dir)?,
        #[cfg(not(feature = "rocksdb"))]
        Some(_) => return Err("a database folder needs --features rocksdb".into()),
        None => Store::new()?,
    };
    let mut loader = store.bulk_loader();
    loader.load_from_reader(
        RdfParser::from_format(RdfFormat::NQuads),
        std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(&file)?),
    )?;
    loader.commit()?;
    #[cfg(feature = "rocksdb")]
    store.flush()?;
    println!(
        "{} quads in {:.3} s",
        store.len()?,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
