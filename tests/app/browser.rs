//! End-to-end in a real browser: filled in by the browser test.
