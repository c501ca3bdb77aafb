fn main() -> std::process::ExitCode {
    sskiosk::cli::main()
}
