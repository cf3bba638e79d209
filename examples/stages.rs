//! Where a build's time goes, stage by stage: runs the build's document
//! stages over a corpus, each time one stage further, in parallel as
//! `policygraph build` does, and prints the throughput of each:
//!
//! 1. read: read the file, decode it, normalise it into paragraphs (language,
//!    metadata);
//! 2. + extract: mentions, relations, citations;
//! 3. + quads: the document's graph as N-Triples, into a sink;
//! 4. + LZ4: the same, compressed as a part file is (into a sink: no file).
//!
//! The rest of a build (part files, manifest, entity graph) is what
//! `policygraph build` takes beyond stage 4. Usage:
//! `cargo run --release --example stages -- CORPUS_DIR [REPEAT]`
//! (median of REPEAT runs per stage, 3 by default).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use policygraph::document::Document;
use policygraph::document::source::{self, SourceFile};
use policygraph::extract::Extractor;
use policygraph::graph::{QuadSink, document_quads};
use policygraph::lexicon::Lexicon;
use policygraph::ontology::DataSource;
use rayon::prelude::*;

/// How far a run goes.
#[derive(Clone, Copy, PartialEq)]
enum Stage {
    Read,
    Extract,
    Quads,
    Lz4,
}

/// Runs the stages up to `last` on `file`.
fn run(file: &Path, extractor: &Extractor, last: Stage) {
    let bytes = source::read_bytes(file).expect("readable");
    let text = source::decode(&bytes).expect("decodable");
    let key = file.file_stem().unwrap().to_string_lossy().into_owned();
    let doc = Document::read(
        SourceFile {
            path: file.to_path_buf(),
            text,
        },
        key,
        None,
    );
    if last == Stage::Read {
        return;
    }
    let ex = extractor.extract(&doc).expect("extraction");
    let name = policygraph::vocab::document_graph(&doc.key);
    match last {
        Stage::Read | Stage::Extract => {}
        Stage::Quads => {
            let mut sink = QuadSink::new(&name, std::io::sink());
            document_quads(&doc, &ex, &mut sink);
            sink.finish().expect("sink");
        }
        Stage::Lz4 => {
            let mut lz4 = lz4_flex::frame::FrameEncoder::new(std::io::sink());
            writeln!(lz4, "# graph <{name}>").expect("sink");
            let mut sink = QuadSink::new(&name, lz4);
            document_quads(&doc, &ex, &mut sink);
            let (lz4, _) = sink.finish().expect("sink");
            lz4.finish().expect("sink");
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("usage: stages CORPUS_DIR [REPEAT]"));
    let repeat: usize = args
        .next()
        .map_or(3, |n| n.parse().expect("REPEAT: a number"));
    let files = source::collect(std::slice::from_ref(&dir)).expect("corpus");
    let mib = files
        .iter()
        .map(|f| std::fs::metadata(f).expect("file").len())
        .sum::<u64>() as f64
        / (1 << 20) as f64;
    let lexicon = Lexicon::load(&DataSource::Embedded).expect("lexicon");
    let extractor = Extractor::new(lexicon, &DataSource::Embedded).expect("extractor");
    // A first pass compiles the rules and gazetteers the corpus needs, so
    // that every stage is timed without that fixed cost.
    files
        .par_iter()
        .for_each(|f| run(f, &extractor, Stage::Extract));
    println!(
        "{} files, {mib:.1} MiB, {} threads, median of {repeat}",
        files.len(),
        rayon::current_num_threads()
    );
    let mut previous = 0.0;
    for (stage, label) in [
        (Stage::Read, "read"),
        (Stage::Extract, "+ extract"),
        (Stage::Quads, "+ quads"),
        (Stage::Lz4, "+ LZ4"),
    ] {
        let mut times: Vec<f64> = (0..repeat)
            .map(|_| {
                let t = Instant::now();
                files.par_iter().for_each(|f| run(f, &extractor, stage));
                t.elapsed().as_secs_f64()
            })
            .collect();
        times.sort_by(f64::total_cmp);
        let t = times[times.len() / 2];
        println!(
            "{label:10} {t:6.2} s  {:6.1} MiB/s  (stage: {:+.2} s)",
            mib / t,
            t - previous
        );
        previous = t;
    }
}
