use clap::Parser;

fn main() {
    let cli = stslint::cli::Cli::parse();
    std::process::exit(stslint::app::run(cli));
}
