//! Any bytes as a file on disk, linted batch by batch and whole: the same results. See
//! `stslint::fuzzing::stream`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| stslint::fuzzing::stream(data));
