//! Any bytes as a manifest (and, after a `#previous` line, its previous version): every rule,
//! every output format, every fix. See `stslint::fuzzing::pipeline`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| stslint::fuzzing::pipeline(data));
