/// Amdahl's law: the best speed-up on `n` workers when a fraction `p`
/// of the one-worker running time can be spread across workers.
fn speedup(p: f64, n: u32) -> f64 {
    1.0 / ((1.0 - p) + p / f64::from(n))
}

fn main() {
    let fractions = [0.5, 0.9, 0.99];
    let workers = [1, 2, 4, 8, 16];

    print!("{:>5}", "p");
    for n in workers {
        print!("{:>8}", format!("n={n}"));
    }
    println!("{:>8}", "limit");

    for p in fractions {
        let limit = 1.0 / (1.0 - p);
        print!("{p:>5.2}");
        let mut previous = 0.0;
        for n in workers {
            let s = speedup(p, n);
            assert!(s > previous, "more workers never lower the bound");
            assert!(s < limit, "the bound stays below 1 / (1 - p)");
            previous = s;
            print!("{s:>8.2}");
        }
        println!("{limit:>8.2}");
    }
}
