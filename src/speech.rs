//! Reading the kiosk's screens aloud, offline: a speech engine run as a program (espeak-ng, with its
//! Vietnamese or English voice) writes a WAV to its standard output, and the kiosk's player (`aplay`)
//! plays it as it comes. One reading at a time: a new one, a touch or going home stops the last.
//!
//! The programs run on a thread of their own, so starting or stopping one never holds up a frame.

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::Duration;

/// The longest text given to the engine; a procedure's whole detail fits well within it.
const MAX_TEXT: usize = 12_000;
/// How often the reading thread looks whether the player has finished.
const POLL: Duration = Duration::from_millis(100);

#[derive(Debug, thiserror::Error)]
pub enum SpeechError {
    #[error("reading aloud is off ([kiosk] read_aloud is empty)")]
    Off,
    #[error("cannot run the speech engine {program:?} ({error}); install Debian's espeak-ng package")]
    NoEngine { program: String, error: String },
    #[error("the speech engine {program:?} has no Vietnamese voice (it lists none for \"vi\")")]
    NoVietnamese { program: String },
    #[error("cannot run the sound player {program:?} ({error}); install Debian's alsa-utils package")]
    NoPlayer { program: String, error: String },
}

/// How to run the engine and the player: from `[kiosk] read_aloud*`.
#[derive(Debug, Clone)]
pub struct Voice {
    pub engine: String,
    pub player: Vec<String>,
    pub speed: u32,
    pub volume: u32,
}

impl Voice {
    pub fn from_config(kiosk: &crate::config::Kiosk) -> Voice {
        Voice {
            engine: kiosk.read_aloud.clone(),
            player: kiosk.read_aloud_player.split_whitespace().map(str::to_string).collect(),
            speed: kiosk.read_aloud_speed,
            volume: kiosk.read_aloud_volume,
        }
    }

    /// Whether both programs are there and the engine speaks Vietnamese: asked once, at start.
    pub fn check(&self) -> Result<(), SpeechError> {
        if self.engine.is_empty() {
            return Err(SpeechError::Off);
        }
        let listed = Command::new(&self.engine)
            .arg("--voices=vi")
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            .map_err(|e| SpeechError::NoEngine { program: self.engine.clone(), error: e.to_string() })?;
        let voices = String::from_utf8_lossy(&listed.stdout);
        // espeak-ng lists "Pty Language Age/Gender VoiceName File Other Languages", one voice a line.
        if !voices.lines().skip(1).any(|l| l.split_whitespace().nth(1) == Some("vi")) {
            return Err(SpeechError::NoVietnamese { program: self.engine.clone() });
        }
        let player = self.player.first().cloned().unwrap_or_default();
        find_program(&player).map_err(|error| SpeechError::NoPlayer { program: player, error })
    }

    fn start(&self, text: &str, english: bool) -> std::io::Result<Reading> {
        let text: String = text.chars().take(MAX_TEXT).collect();
        let mut engine = Command::new(&self.engine)
            .args(["-v", if english { "en" } else { "vi" }])
            .args(["-s", &self.speed.to_string(), "-a", &self.volume.to_string(), "--stdout", "--"])
            .arg(text)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let Some(sound) = engine.stdout.take() else {
            let _ = engine.kill();
            let _ = engine.wait();
            return Err(std::io::Error::other("the engine gave no output"));
        };
        let player = Command::new(&self.player[0])
            .args(&self.player[1..])
            .stdin(sound)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn();
        match player {
            Ok(player) => Ok(Reading { engine, player }),
            Err(e) => {
                let _ = engine.kill();
                let _ = engine.wait();
                Err(e)
            }
        }
    }
}

/// Looks a program up as `Command` would: a path as it is, a bare name on `PATH`.
fn find_program(program: &str) -> Result<(), String> {
    if program.is_empty() {
        return Err("no program named".into());
    }
    let path = std::path::Path::new(program);
    if program.contains('/') {
        return if path.is_file() { Ok(()) } else { Err("no such file".into()) };
    }
    let dirs = std::env::var_os("PATH").unwrap_or_default();
    if std::env::split_paths(&dirs).any(|d| d.join(program).is_file()) {
        Ok(())
    } else {
        Err("not found on PATH".into())
    }
}

/// The two programs of one reading.
struct Reading {
    engine: Child,
    player: Child,
}

impl Reading {
    fn stop(mut self) {
        for child in [&mut self.engine, &mut self.player] {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Whether the player has finished (the engine with it); a player that failed says why once.
    fn finished(&mut self) -> bool {
        match self.player.try_wait() {
            Ok(None) => false,
            Ok(Some(status)) => {
                if !status.success() {
                    let mut why = String::new();
                    if let Some(mut err) = self.player.stderr.take() {
                        let _ = err.read_to_string(&mut why);
                    }
                    tracing::warn!(%status, error = why.trim(), "the sound player failed; is there a sound card?");
                }
                let _ = self.engine.kill();
                let _ = self.engine.wait();
                true
            }
            Err(_) => true,
        }
    }
}

enum Job {
    Say { text: String, english: bool },
    Stop,
}

/// The kiosk's reader: `say` starts reading (stopping whatever was being read), `stop` silences it.
pub struct ReadAloud {
    jobs: Sender<Job>,
    reading: Arc<AtomicBool>,
}

impl ReadAloud {
    /// Starts the reading thread when both programs are there; otherwise says why, for the log.
    pub fn start(voice: Voice) -> Result<ReadAloud, SpeechError> {
        voice.check()?;
        Ok(Self::start_unchecked(voice))
    }

    fn start_unchecked(voice: Voice) -> ReadAloud {
        let (jobs, rx) = mpsc::channel::<Job>();
        let reading = Arc::new(AtomicBool::new(false));
        let flag = reading.clone();
        let spawned = std::thread::Builder::new().name("read-aloud".into()).spawn(move || {
            let mut current: Option<Reading> = None;
            loop {
                let job = rx.recv_timeout(POLL);
                if let Ok(_) | Err(RecvTimeoutError::Disconnected) = &job {
                    if let Some(r) = current.take() {
                        r.stop();
                    }
                }
                // The flag changes only with a job, in the order the kiosk sent them, or when a reading ends:
                // a poll never undoes what `say` or `stop` has just set.
                match job {
                    Ok(Job::Say { text, english }) => {
                        match voice.start(&text, english) {
                            Ok(r) => current = Some(r),
                            Err(e) => tracing::warn!(error = %e, engine = %voice.engine, "cannot read aloud"),
                        }
                        flag.store(current.is_some(), Ordering::SeqCst);
                    }
                    Ok(Job::Stop) => flag.store(false, Ordering::SeqCst),
                    Err(RecvTimeoutError::Timeout) => {
                        if current.as_mut().is_some_and(Reading::finished) {
                            current = None;
                            flag.store(false, Ordering::SeqCst);
                        }
                    }
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
        });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "cannot start the read-aloud thread");
        }
        ReadAloud { jobs, reading }
    }

    pub fn say(&self, text: &str, english: bool) {
        // Marked at once, so the button shows "Dừng đọc" in the same frame.
        self.reading.store(true, Ordering::SeqCst);
        let _ = self.jobs.send(Job::Say { text: text.to_string(), english });
    }

    pub fn stop(&self) {
        self.reading.store(false, Ordering::SeqCst);
        let _ = self.jobs.send(Job::Stop);
    }

    /// Whether something is being read (the player has not finished).
    pub fn is_reading(&self) -> bool {
        self.reading.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn voice(engine: &str, player: &str) -> Voice {
        Voice { engine: engine.into(), player: vec![player.into()], speed: 150, volume: 100 }
    }

    #[test]
    fn a_missing_engine_or_player_is_named() {
        assert!(matches!(voice("", "aplay").check(), Err(SpeechError::Off)));
        let missing = voice("/nonexistent/espeak-ng", "aplay").check().unwrap_err();
        assert!(matches!(missing, SpeechError::NoEngine { .. }), "{missing}");
        assert!(missing.to_string().contains("espeak-ng package"), "{missing}");
        // `true` runs but lists no voice at all.
        let mute = voice("true", "aplay").check().unwrap_err();
        assert!(matches!(mute, SpeechError::NoVietnamese { .. }), "{mute}");
        assert!(find_program("sh").is_ok());
        assert!(find_program("no-such-player-here").is_err());
        assert!(find_program("/nonexistent/aplay").is_err());
    }
}
