// rust-hello: a Rust program built with Debian's rustc for wasm32-wasi; prints its arguments and one variable.
use std::env;

fn main() {
    println!("Hello from Rust on WASI!");
    let args: Vec<String> = env::args().collect();
    println!("called as {:?} with {} argument(s)", args[0], args.len() - 1);
    for (i, arg) in args.iter().enumerate().skip(1) {
        println!("  arg {}: {}", i, arg);
    }
    match env::var("GREETING") {
        Ok(value) => println!("GREETING = {}", value),
        Err(_) => println!("GREETING is not set"),
    }
}
