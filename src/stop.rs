//! A stop asked for from outside: SIGINT (Ctrl-C) or SIGTERM (a scheduler, `kill`).
//!
//! The signal only raises a flag ([`signal_hook::flag`]); the run looks at it between reports
//! and before the release is put in place, then stops as it would on a write error: the
//! workers take no further report, the staging folder is removed, the lock released, and the
//! previous release is left whole. The exit status is 128 plus the signal's number (130, 143),
//! as a shell reports a process its signal ended. A second signal while the first is being
//! handled ends the process at once with that status: the previous release is whole even then
//! (the swap is atomic), and the next run clears what is left beside it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// A signal that asks the run to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// SIGINT: Ctrl-C at a terminal.
    Interrupt,
    /// SIGTERM: a scheduler or `kill` ending the run.
    Terminate,
}

impl Signal {
    const ALL: [Signal; 2] = [Signal::Interrupt, Signal::Terminate];

    /// The signal's number.
    pub fn number(self) -> i32 {
        match self {
            Signal::Interrupt => signal_hook::consts::SIGINT,
            Signal::Terminate => signal_hook::consts::SIGTERM,
        }
    }

    /// Its conventional name.
    pub fn name(self) -> &'static str {
        match self {
            Signal::Interrupt => "SIGINT",
            Signal::Terminate => "SIGTERM",
        }
    }

    /// The exit status of a run it stopped: 128 plus its number.
    pub fn exit_status(self) -> u8 {
        // SIGINT and SIGTERM are 2 and 15 wherever signal-hook runs.
        u8::try_from(128 + self.number()).unwrap_or(u8::MAX)
    }
}

/// Whether the run has been asked to stop, and by which signal.
#[derive(Debug, Clone, Default)]
pub struct Stop {
    asked: Arc<AtomicBool>,
    signal: Arc<AtomicUsize>,
}

impl Stop {
    /// A stop nothing asks for, unless [`Stop::request`] is called: a library caller's.
    pub fn never() -> Stop {
        Stop::default()
    }

    /// A stop that SIGINT and SIGTERM ask for, from now until the process ends.
    pub fn on_signals() -> std::io::Result<Stop> {
        let stop = Stop::default();
        for signal in Signal::ALL {
            let n = signal.number();
            // Registered first, so that it sees the flag as the previous signal left it: the
            // second signal ends the process at once.
            signal_hook::flag::register_conditional_shutdown(
                n,
                i32::from(signal.exit_status()),
                Arc::clone(&stop.asked),
            )?;
            signal_hook::flag::register_usize(n, Arc::clone(&stop.signal), n as usize)?;
            signal_hook::flag::register(n, Arc::clone(&stop.asked))?;
        }
        Ok(stop)
    }

    /// Asks the run to stop as `signal` would.
    pub fn request(&self, signal: Signal) {
        self.signal
            .store(signal.number() as usize, Ordering::SeqCst);
        self.asked.store(true, Ordering::SeqCst);
    }

    /// The signal that asked the run to stop, if one did.
    pub fn requested(&self) -> Option<Signal> {
        if !self.asked.load(Ordering::SeqCst) {
            return None;
        }
        let n = self.signal.load(Ordering::SeqCst);
        Some(
            Signal::ALL
                .into_iter()
                .find(|s| s.number() as usize == n)
                .unwrap_or(Signal::Terminate),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stop_names_its_signal_and_exit_status() {
        let stop = Stop::never();
        assert_eq!(stop.requested(), None);
        stop.clone().request(Signal::Interrupt);
        assert_eq!(stop.requested(), Some(Signal::Interrupt));
        assert_eq!(Signal::Interrupt.exit_status(), 130);
        assert_eq!(Signal::Terminate.exit_status(), 143);
    }
}
