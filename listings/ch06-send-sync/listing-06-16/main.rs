struct MyBox(*mut u8);

impl Send for MyBox {}

fn main() {}
