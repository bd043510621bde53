//! Work that can block (the hub, the printer) runs off the UI thread; its result comes back on the UI
//! thread. Tests hold the work instead and run it when they choose, so a test can tap twice while a ticket
//! is still printing.

use crate::AppWindow;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

type Job = Box<dyn FnOnce()>;

#[derive(Clone)]
pub enum Work {
    /// A thread per job; the result is handed to the event loop.
    Threads,
    /// Jobs wait until `run_pending` (tests).
    Held(Rc<RefCell<VecDeque<Job>>>),
}

impl Work {
    pub fn held() -> Work {
        Work::Held(Rc::default())
    }

    /// Runs `job` in the background, then `done` with the window on the UI thread (if it still exists).
    pub(super) fn spawn<T: Send + 'static>(
        &self,
        window: slint::Weak<AppWindow>,
        job: impl FnOnce() -> T + Send + 'static,
        done: impl FnOnce(&AppWindow, T) + Send + 'static,
    ) {
        match self {
            Work::Threads => {
                let spawned = std::thread::Builder::new().name("kiosk-work".into()).spawn(move || {
                    let result = job();
                    // Fails only when the event loop has ended: the kiosk is closing.
                    let _ = window.upgrade_in_event_loop(move |w| done(&w, result));
                });
                if let Err(e) = spawned {
                    tracing::error!(error = %e, "cannot start background work");
                }
            }
            Work::Held(queue) => queue.borrow_mut().push_back(Box::new(move || {
                let result = job();
                if let Some(w) = window.upgrade() {
                    done(&w, result);
                }
            })),
        }
    }

    /// Runs the held jobs, including those they add; returns how many ran.
    pub fn run_pending(&self) -> usize {
        let Work::Held(queue) = self else { return 0 };
        let mut ran = 0;
        loop {
            let next = queue.borrow_mut().pop_front();
            let Some(job) = next else { return ran };
            job();
            ran += 1;
        }
    }

    pub fn pending(&self) -> usize {
        match self {
            Work::Threads => 0,
            Work::Held(queue) => queue.borrow().len(),
        }
    }
}
