//! Browser entry point: installs the panic hook and mounts the app. Nothing else lives here.

#[cfg(target_arch = "wasm32")]
fn main() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        crab_playground::show_crash_banner();
    }));
    leptos::mount::mount_to_body(crab_playground::App);
}

/// The app runs only in the browser; on the host this binary just says so.
#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "crab-playground is a web app: build and serve it with `make serve` (Trunk, wasm32)"
    );
    std::process::ExitCode::from(2)
}
