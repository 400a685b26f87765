//! Doudi desktop shell: one window, one Tauri command (`call`) that hands a named command and its
//! JSON input to doudi-core. Nothing else lives here.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod shell;

fn main() {
    shell::run();
}
