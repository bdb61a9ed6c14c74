//! placeholder

/// Run as PID 1 (placeholder).
pub fn run_pid1() -> std::process::ExitCode {
    std::process::ExitCode::FAILURE
}
