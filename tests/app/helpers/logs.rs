//! The app's error log lines, kept in memory for the whole test binary so that a test can check
//! what a 500 logged: each line carries the request's span (`requête{id=…}`), and the response
//! carries the same id (`x-request-id`). `TEST_LOG=1` still prints the app's logs as before.

use std::io::Write;
use std::sync::{Mutex, Once};

use tracing::Level;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::prelude::*;
use tracing_subscriber::{EnvFilter, filter};

/// Error lines of every test of the binary (tests run side by side: a test finds its own by
/// request id).
static ERRORS: Mutex<Vec<String>> = Mutex::new(Vec::new());
/// Enough for any test; past it the oldest lines go (a background job failing in a loop must not
/// grow the buffer without bound).
const KEPT: usize = 10_000;

/// One formatted line, stored when the formatter is done with it.
struct Line(Vec<u8>);

impl Write for Line {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for Line {
    fn drop(&mut self) {
        let line = String::from_utf8_lossy(&self.0).into_owned();
        if let Ok(mut errors) = ERRORS.lock() {
            if errors.len() >= KEPT {
                errors.drain(..KEPT / 2);
            }
            errors.push(line);
        }
    }
}

struct Capture;

impl<'a> MakeWriter<'a> for Capture {
    type Writer = Line;

    fn make_writer(&'a self) -> Line {
        Line(Vec::new())
    }
}

/// Installs the test binary's subscriber, once.
pub fn init() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let verbose = std::env::var("TEST_LOG").is_ok().then(|| {
            tracing_subscriber::fmt::layer()
                .with_test_writer()
                .with_filter(EnvFilter::new("info,sqlx=warn"))
        });
        // Error events, with the spans they happen in (the request span is at INFO).
        let captured = tracing_subscriber::fmt::layer()
            .with_ansi(false)
            .with_writer(Capture)
            .with_filter(filter::filter_fn(|meta| {
                let most_verbose = if meta.is_span() {
                    Level::INFO
                } else {
                    Level::ERROR
                };
                *meta.level() <= most_verbose
            }));
        let _ = tracing_subscriber::registry()
            .with(verbose)
            .with(captured)
            .try_init();
    });
}

/// The error lines logged while answering the request with this id.
pub fn errors_of_request(request_id: &str) -> Vec<String> {
    let marker = format!("id={request_id}");
    ERRORS
        .lock()
        .map(|errors| {
            errors
                .iter()
                .filter(|line| line.contains(&marker))
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}
