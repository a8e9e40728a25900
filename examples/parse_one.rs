use migc::diagnostic::{render, Color};
use migc::source::SourceMap;
fn main() {
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).unwrap();
        let mut sm = SourceMap::new();
        let id = sm.add(&path, text);
        match migc::syntax::parse_revision(&sm, id) {
            Ok(r) => println!("{r:#?}"),
            Err(d) => print!("{}", render(&d, &sm, Color::Never)),
        }
    }
}
