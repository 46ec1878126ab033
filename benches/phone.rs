//! Throughput of `phone::parse` against the `phonenumber` crate (a Rust port of
//! libphonenumber) on the same 100,000 inputs, in the same run. Two input sets:
//! `parse_100k*` takes the first 100,000 lines of the parity corpus
//! (tests/data/phone/): every 4-digit prefix in every way of typing a number, 90 %
//! of them invalid; `valid_100k` takes the corpus lines libphonenumber finds valid
//! (about 17,800, in every form), repeated to 100,000. Both sides parse for region
//! VN and decide validity.
//!
//!     CARGO_PROFILE_BENCH_OPT_LEVEL=3 cargo bench --no-default-features --bench phone
//!
//! (Without the variable the bench profile inherits the release profile's
//! opt-level "z", which is tuned for the size of the wasm, not for speed.)
//!
//! Measured twice: in wall-clock time (criterion's default) and in the thread's CPU
//! time, which a busy machine disturbs less (`parse_100k_cpu`, Linux only). Then the
//! ratio once more, interleaved: rounds that time this parser and the crate back to
//! back, whose median ratio a machine that changes speed between criterion's two
//! measurements (seen on this shared VM: the same loop 5.7 or 8.4 ms for minutes at a
//! time) cannot tilt.
//! Also: how long a 1 MB string takes to be rejected.

use std::fs;
use std::hint::black_box;
use std::io::Read;
use std::path::Path;
use std::time::Duration;

use consent_form::phone;
use criterion::measurement::{Measurement, ValueFormatter};
use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};

const INPUTS: usize = 100_000;

/// Corpus inputs, in order; `valid_only` keeps those libphonenumber finds valid.
/// Cycles through them until there are [`INPUTS`].
fn corpus_inputs(valid_only: bool) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/phone");
    let mut files: Vec<_> = fs::read_dir(dir)
        .expect("tests/data/phone")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.to_string_lossy().ends_with(".tsv.gz"))
        .collect();
    files.sort();
    let mut all = Vec::new();
    for file in files {
        let mut text = String::new();
        flate2::read::GzDecoder::new(fs::File::open(file).expect("corpus file"))
            .read_to_string(&mut text)
            .expect("gzip");
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let mut columns = line.split('\t');
            let input = columns.next().unwrap_or("");
            let reference = columns.next().unwrap_or("-");
            if !valid_only || reference != "-" {
                all.push(unescape(input));
            }
        }
    }
    assert!(!all.is_empty());
    all.iter().cycle().take(INPUTS).cloned().collect()
}

/// Undoes the corpus' escapes: \\, \t, \n, \r.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        out.push(if c != '\\' {
            c
        } else {
            match chars.next() {
                Some('t') => '\t',
                Some('n') => '\n',
                Some('r') => '\r',
                Some(other) => other,
                None => '\\',
            }
        });
    }
    out
}

fn ours(inputs: &[String]) -> usize {
    inputs
        .iter()
        .filter(|s| phone::parse(black_box(s)).is_ok())
        .count()
}

fn theirs(inputs: &[String]) -> usize {
    inputs
        .iter()
        .filter(|s| {
            phonenumber::parse(Some(phonenumber::country::Id::VN), black_box(s.as_str()))
                .is_ok_and(|n| n.is_valid())
        })
        .count()
}

fn compare<M: Measurement>(c: &mut Criterion<M>, name: &str, inputs: &[String]) {
    // Sanity: both see roughly the same valid numbers (they differ on departures,
    // and the crate embeds an older libphonenumber release).
    println!(
        "{name}: valid for ours {}, for the phonenumber crate {}",
        ours(inputs),
        theirs(inputs)
    );
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Elements(INPUTS as u64));
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("consent_form::phone::parse", |b| b.iter(|| ours(inputs)));
    group.bench_function("phonenumber::parse+is_valid", |b| b.iter(|| theirs(inputs)));
    group.finish();
}

fn wall_time(c: &mut Criterion) {
    compare(c, "parse_100k", &corpus_inputs(false));
}

fn cpu_time(c: &mut Criterion<ThreadCpuTime>) {
    let corpus = corpus_inputs(false);
    let valid = corpus_inputs(true);
    compare(c, "parse_100k_cpu", &corpus);
    compare(c, "valid_100k_cpu", &valid);
    interleaved("parse_100k_cpu", &corpus);
    interleaved("valid_100k_cpu", &valid);
}

/// Rounds of: this parser over the inputs 20 times (its median taken), the crate
/// once, in alternating order; prints the median of the rounds' ratios and their
/// range. Skipped when a filter given to the bench matches neither name.
fn interleaved(name: &str, inputs: &[String]) {
    const ROUNDS: usize = 15;
    const OURS_PER_ROUND: usize = 20;
    let label = format!("{name}/ratio_interleaved");
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    if filter.is_some_and(|f| !label.contains(&f)) {
        return;
    }
    let time = |f: &dyn Fn(&[String]) -> usize| {
        let start = thread_cpu_ns();
        black_box(f(inputs));
        (thread_cpu_ns() - start) as f64
    };
    let ours_round = || {
        let mut times: Vec<f64> = (0..OURS_PER_ROUND).map(|_| time(&ours)).collect();
        times.sort_by(f64::total_cmp);
        times[OURS_PER_ROUND / 2]
    };
    let mut ratios = Vec::with_capacity(ROUNDS);
    let (mut ours_ms, mut theirs_ms) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let (a, b) = if round % 2 == 0 {
            let a = ours_round();
            (a, time(&theirs))
        } else {
            let b = time(&theirs);
            (ours_round(), b)
        };
        ours_ms.push(a / 1e6);
        theirs_ms.push(b / 1e6);
        ratios.push(b / a);
    }
    for v in [&mut ratios, &mut ours_ms, &mut theirs_ms] {
        v.sort_by(f64::total_cmp);
    }
    let mid = ROUNDS / 2;
    println!(
        "{label}: median {:.1}× (rounds {:.1}–{:.1}×); consent_form::phone::parse {:.3} ms, \
         phonenumber::parse+is_valid {:.2} ms (medians, CPU time per {INPUTS} inputs, {ROUNDS} rounds)",
        ratios[mid], ratios[0], ratios[ROUNDS - 1], ours_ms[mid], theirs_ms[mid]
    );
}

fn hostile(c: &mut Criterion) {
    let megabyte = "0".repeat(1 << 20);
    c.bench_function("reject_1MB", |b| {
        b.iter(|| phone::parse(black_box(&megabyte)).is_err())
    });
}

/// The calling thread's CPU time (Linux `CLOCK_THREAD_CPUTIME_ID`), in nanoseconds.
struct ThreadCpuTime;

#[repr(C)]
struct Timespec {
    seconds: i64,
    nanoseconds: i64,
}

extern "C" {
    fn clock_gettime(clock: i32, time: *mut Timespec) -> i32;
}

fn thread_cpu_ns() -> u64 {
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut time = Timespec {
        seconds: 0,
        nanoseconds: 0,
    };
    // SAFETY: clock_gettime writes one timespec (two 64-bit fields on 64-bit Linux).
    let status = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut time) };
    assert_eq!(status, 0, "clock_gettime failed");
    time.seconds as u64 * 1_000_000_000 + time.nanoseconds as u64
}

impl Measurement for ThreadCpuTime {
    type Intermediate = u64;
    type Value = u64;

    fn start(&self) -> u64 {
        thread_cpu_ns()
    }
    fn end(&self, start: u64) -> u64 {
        thread_cpu_ns() - start
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    fn to_f64(&self, value: &u64) -> f64 {
        *value as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        &CpuFormatter
    }
}

/// Prints CPU nanoseconds like criterion prints wall time, suffixed "(cpu)".
struct CpuFormatter;

impl ValueFormatter for CpuFormatter {
    fn scale_values(&self, typical: f64, values: &mut [f64]) -> &'static str {
        let (factor, unit) = if typical < 1e3 {
            (1.0, "ns (cpu)")
        } else if typical < 1e6 {
            (1e-3, "µs (cpu)")
        } else if typical < 1e9 {
            (1e-6, "ms (cpu)")
        } else {
            (1e-9, "s (cpu)")
        };
        values.iter_mut().for_each(|v| *v *= factor);
        unit
    }

    fn scale_throughputs(
        &self,
        typical: f64,
        throughput: &Throughput,
        values: &mut [f64],
    ) -> &'static str {
        let per = match throughput {
            Throughput::Elements(n) | Throughput::Bytes(n) | Throughput::BytesDecimal(n) => {
                *n as f64
            }
            _ => 1.0,
        };
        // elements per CPU second
        values.iter_mut().for_each(|v| *v = per * 1e9 / *v);
        let typical = per * 1e9 / typical;
        if typical >= 1e6 {
            values.iter_mut().for_each(|v| *v /= 1e6);
            "Melem/s (cpu)"
        } else {
            values.iter_mut().for_each(|v| *v /= 1e3);
            "Kelem/s (cpu)"
        }
    }

    fn scale_for_machines(&self, _values: &mut [f64]) -> &'static str {
        "ns"
    }
}

criterion_group!(benches, wall_time, hostile);
criterion_group! {
    name = cpu;
    config = Criterion::default().with_measurement(ThreadCpuTime);
    targets = cpu_time
}
criterion_main!(benches, cpu);
