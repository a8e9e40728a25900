use migc::source::SourceMap;
use std::time::Instant;
fn main() {
    let mut sources = SourceMap::new();
    let id = sources.add(
        "a.mig",
        "revision r1\nrevises none\nmessage \"m\"\n\nupgrade {\n}\n",
    );
    let t = Instant::now();
    for _ in 0..200_000 {
        let _ = migc::syntax::parse_header(&sources, id);
    }
    println!("{:?} per header", t.elapsed() / 200_000);
    let t = Instant::now();
    for _ in 0..200_000 {
        let _ = migc::syntax::bench_pest_only("");
    }
    println!("{:?} per empty pest parse", t.elapsed() / 200_000);
}
