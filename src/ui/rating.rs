//! Adapter of the `RatingAdapter` global: "Đánh giá hài lòng" at the kiosk. The citizen scans the QR of
//! their served ticket (a keyboard-wedge scanner types it and presses Enter), taps one of four faces and,
//! at the two lowest, may tick reasons. It takes the ticket's token: a number alone is never enough.

use super::Shared;
use crate::app::kiosk::{self, Words};
use crate::app::rating::Sent;
use crate::domain::lookup::{self, Lookup};
use crate::domain::rating::Level;
use crate::{AppWindow, ChipRow, RatingAdapter};
use slint::{ComponentHandle, Model, ModelRc, SharedString, VecModel};
use std::rc::Rc;

/// Longest input kept: a scanner that never sends Enter cannot grow the field without end.
const MAX_INPUT: usize = 200;

/// Where the citizen is: the scanned ticket, the level chosen, the reasons ticked, the last message.
#[derive(Debug, Default)]
pub struct RatingState {
    token: Option<String>,
    level: Option<Level>,
    ticked: Vec<bool>,
    message: Words,
}

pub fn connect(window: &AppWindow, shared: Rc<Shared>) {
    let adapter = window.global::<RatingAdapter>();
    reset(window, &shared);
    let weak = window.as_weak();
    let s = shared.clone();
    adapter.on_scanned(move |text| {
        if let Some(window) = weak.upgrade() {
            scanned(&window, &s, &text);
        }
    });
    let weak = window.as_weak();
    let s = shared.clone();
    adapter.on_choose(move |level| {
        let (Some(window), Some(level)) = (weak.upgrade(), Level::parse(&level)) else { return };
        super::kiosk::touch(&window, &s);
        s.rating.borrow_mut().level = Some(level);
        if level.asks_why() {
            s.rating.borrow_mut().ticked = vec![false; s.config.ratings.reasons.len()];
            show_chips(&window, &s);
            window.global::<RatingAdapter>().set_step("why".into());
        } else {
            send(&window, &s);
        }
    });
    let weak = window.as_weak();
    let s = shared.clone();
    adapter.on_toggle(move |i| {
        let Some(window) = weak.upgrade() else { return };
        super::kiosk::touch(&window, &s);
        if let Some(on) = s.rating.borrow_mut().ticked.get_mut(i as usize) {
            *on = !*on;
        }
        show_chips(&window, &s);
    });
    let weak = window.as_weak();
    let s = shared.clone();
    adapter.on_send(move || {
        if let Some(window) = weak.upgrade() {
            send(&window, &s);
        }
    });
    let weak = window.as_weak();
    let s = shared;
    adapter.on_again(move || {
        if let Some(window) = weak.upgrade() {
            super::kiosk::touch(&window, &s);
            reset(&window, &s);
        }
    });
}

fn scanned(window: &AppWindow, shared: &Rc<Shared>, text: &str) {
    super::kiosk::touch(window, shared);
    let input: String = text.chars().take(MAX_INPUT).collect();
    let adapter = window.global::<RatingAdapter>();
    adapter.set_code(SharedString::new());
    let Lookup::Ticket(token) = lookup::parse(&input) else {
        let why = Words::new(
            "Đây không phải mã QR của phiếu số thứ tự. Hãy quét mã QR trên phiếu.",
            "This is not a queue ticket's QR. Please scan the QR on your ticket.",
        );
        return refused(window, shared, why);
    };
    adapter.set_step("checking".into());
    let hub = shared.hub.clone();
    let asked = token.clone();
    shared.spawn(
        window,
        move || hub.status(&asked),
        move |window, s, result| match kiosk::rating_scan(result) {
            Ok(number) => {
                *s.rating.borrow_mut() = RatingState { token: Some(token), ..Default::default() };
                let adapter = window.global::<RatingAdapter>();
                adapter.set_number(number.into());
                adapter.set_message(SharedString::new());
                adapter.set_step("faces".into());
            }
            Err(why) => refused(window, s, why),
        },
    );
}

fn send(window: &AppWindow, shared: &Rc<Shared>) {
    super::kiosk::touch(window, shared);
    let (token, sent) = {
        let state = shared.rating.borrow();
        let (Some(token), Some(level)) = (state.token.clone(), state.level) else { return };
        let reasons = shared
            .config
            .ratings
            .reasons
            .iter()
            .zip(&state.ticked)
            .filter(|(_, on)| **on)
            .map(|(r, _)| r.clone())
            .collect();
        (token, Sent { level, reasons, complaint: None })
    };
    window.global::<RatingAdapter>().set_step("sending".into());
    let hub = shared.hub.clone();
    shared.spawn(
        window,
        move || hub.rate(&token, &sent),
        |window, s, result| {
            if let Err(e) = &result {
                tracing::warn!(error = %e, "rating not taken");
            }
            match kiosk::rating_sent(result) {
                Ok(words) => {
                    s.rating.borrow_mut().message = words;
                    window.global::<RatingAdapter>().set_step("thanks".into());
                    relabel(window, s);
                }
                Err(why) => refused(window, s, why),
            }
        },
    );
}

fn refused(window: &AppWindow, shared: &Shared, why: Words) {
    shared.rating.borrow_mut().message = why;
    window.global::<RatingAdapter>().set_step("refused".into());
    relabel(window, shared);
}

fn show_chips(window: &AppWindow, shared: &Shared) {
    let state = shared.rating.borrow();
    let chips: Vec<ChipRow> = shared
        .config
        .ratings
        .reasons
        .iter()
        .zip(state.ticked.iter().chain(std::iter::repeat(&false)))
        .map(|(text, on)| ChipRow { text: text.into(), on: *on })
        .collect();
    window.global::<RatingAdapter>().set_reasons(ModelRc::new(VecModel::from(chips)));
}

/// The faces' labels and the last message, in the language the citizen chose.
pub fn relabel(window: &AppWindow, shared: &Shared) {
    let adapter = window.global::<RatingAdapter>();
    let levels = adapter.get_levels();
    let relabelled: Vec<_> = levels
        .iter()
        .map(|mut row| {
            if let Some(level) = Level::parse(&row.level) {
                let (vi, en) = level.words();
                row.label = shared.pick(vi, en).into();
            }
            row
        })
        .collect();
    adapter.set_levels(ModelRc::new(VecModel::from(relabelled)));
    adapter.set_message(shared.say(&shared.rating.borrow().message).into());
}

/// Forgets the last citizen's ticket and answer.
pub fn reset(window: &AppWindow, shared: &Shared) {
    *shared.rating.borrow_mut() = RatingState::default();
    let adapter = window.global::<RatingAdapter>();
    adapter.set_code(SharedString::new());
    adapter.set_number(SharedString::new());
    adapter.set_message(SharedString::new());
    adapter.set_reasons(ModelRc::default());
    adapter.set_step("scan".into());
}
