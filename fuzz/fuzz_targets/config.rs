//! Any bytes as `.stslint.toml`. See `stslint::fuzzing::config`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| stslint::fuzzing::config(data));
