//! The Slint kiosk: one adapter file per screen global. Adapters map domain values to Slint structs and
//! hold no SQL, no bytes and no blocking I/O.

pub mod catalog;

use crate::app::catalog::Catalog;
use crate::config::Config;
use crate::{AppWindow, Theme};
use slint::ComponentHandle;
use std::rc::Rc;

#[derive(Debug, thiserror::Error)]
pub enum UiError {
    #[error(
        "cannot open the kiosk window ({0}); is a display attached? \
         (DISPLAY or WAYLAND_DISPLAY must be set, or build with the linuxkms backend)"
    )]
    Platform(#[from] slint::PlatformError),
}

/// Size unit of the theme, from the configured panel: touch targets of at least 15 mm, body text of
/// at least 28 px.
pub fn theme_unit_px(config: &Config) -> f32 {
    let from_mm = config.pixels_per_mm() * 15.0 / 9.0;
    from_mm.max(8.0) as f32
}

/// Builds the kiosk window and connects every screen; the caller decides whether to run or to test it.
pub fn build(config: &Config, catalog: Rc<Catalog>) -> Result<AppWindow, UiError> {
    let window = AppWindow::new()?;
    window.global::<Theme>().set_unit(theme_unit_px(config));
    window.set_portrait(config.kiosk.screen_height_px >= config.kiosk.screen_width_px);
    // Vietnamese is the source language of the UI, which Slint names "".
    let language = if config.kiosk.language == "vi" { "" } else { config.kiosk.language.as_str() };
    if let Err(e) = slint::select_bundled_translation(language) {
        tracing::warn!(language = %config.kiosk.language, error = %e, "language not available, using Vietnamese");
    }
    catalog::connect(&window, config, catalog);
    Ok(window)
}

/// Opens the kiosk window (full screen unless configured otherwise) and runs until it closes.
pub fn run_kiosk(config: &Config, catalog: Rc<Catalog>) -> Result<(), UiError> {
    let window = build(config, catalog)?;
    if config.kiosk.fullscreen {
        // Sized to the panel as well: on a bare X server with no window manager the full-screen request
        // is ignored, and the window must still cover the screen.
        let k = &config.kiosk;
        window.window().set_size(slint::PhysicalSize::new(k.screen_width_px, k.screen_height_px));
        window.window().set_fullscreen(true);
    }
    window.run()?;
    Ok(())
}
