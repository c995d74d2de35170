use std::collections::HashMap;
use std::rc::Rc;
use std::thread;

struct Cache {
    entries: HashMap<String, Rc<str>>,
}

struct Settings {
    name: String,
    cache: Cache,
}

fn report(settings: Settings) -> usize {
    settings.name.len() + settings.cache.entries.len()
}

fn main() {
    let settings = Settings { name: "sensor-7".to_string(), cache: Cache { entries: HashMap::new() } };
    let handle = thread::spawn(move || report(settings));
    println!("{}", handle.join().unwrap());
}
