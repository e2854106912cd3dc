//! Any bytes as a manifest, fixed until stable with every rule and the unsafe fixes: every
//! fix must pass the verification `--fix` applies. See `stslint::fuzzing::fix`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| stslint::fuzzing::fix(data));
