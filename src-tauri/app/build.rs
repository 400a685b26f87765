//! Tauri's build step: embeds the config, the capability ACL and the icons.
fn main() {
    tauri_build::build()
}
