//! Announcements as sound: clips (22,050 Hz, mono, 16-bit PCM WAV) said one after another, each with its
//! silence trimmed and a short pause between words. The default clips (espeak-ng's Vietnamese voice,
//! `assets/audio/vi/generate.sh`) are built into the binary; a folder given in `voice.clips_dir` replaces
//! any of them by a recording of the same name.

use crate::domain::announce::{clip_sequence, sentence, Announcement, AnnouncementQueue};
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex};

pub const RATE: u32 = 22_050;
/// Below this amplitude a clip's start and end count as silence.
const SILENCE: i16 = 400;
/// Pause between words, and after the chime.
const GAP_MS: u32 = 90;
const AFTER_CHIME_MS: u32 = 350;

#[derive(Debug, thiserror::Error)]
pub enum VoiceError {
    #[error("no clip \"{0}.wav\" (neither in voice.clips_dir nor built in); record it or add it with assets/audio/vi/generate.sh")]
    Missing(String),
    #[error("clip \"{clip}\" is not a 22,050 Hz mono 16-bit PCM WAV: {why}")]
    Format { clip: String, why: String },
    #[error("cannot read clip {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
}

macro_rules! clip {
    ($name:literal) => {
        ($name, include_bytes!(concat!("../assets/audio/vi/", $name, ".wav")).as_slice())
    };
}

const BUNDLED: &[(&str, &[u8])] = &[
    clip!("ba"),
    clip!("bay"),
    clip!("bon"),
    clip!("chime"),
    clip!("chin"),
    clip!("den-quay-so"),
    clip!("hai"),
    clip!("khong"),
    clip!("lam"),
    clip!("le"),
    clip!("letter-a"),
    clip!("letter-b"),
    clip!("letter-c"),
    clip!("letter-d"),
    clip!("letter-e"),
    clip!("letter-f"),
    clip!("letter-g"),
    clip!("letter-h"),
    clip!("letter-i"),
    clip!("letter-j"),
    clip!("letter-k"),
    clip!("letter-l"),
    clip!("letter-m"),
    clip!("letter-n"),
    clip!("letter-o"),
    clip!("letter-p"),
    clip!("letter-q"),
    clip!("letter-r"),
    clip!("letter-s"),
    clip!("letter-t"),
    clip!("letter-u"),
    clip!("letter-v"),
    clip!("letter-w"),
    clip!("letter-x"),
    clip!("letter-y"),
    clip!("letter-z"),
    clip!("moi-cong-dan-co-so-thu-tu"),
    clip!("mot-sac"),
    clip!("mot"),
    clip!("muoi-huyen"),
    clip!("muoi-ngang"),
    clip!("nam"),
    clip!("nghin"),
    clip!("sau"),
    clip!("tam"),
    clip!("tram"),
    clip!("tu"),
];

/// Where clips come from: a folder of replacements first, then the built-in ones.
pub struct Clips {
    dir: Option<PathBuf>,
}

impl Clips {
    pub fn new(dir: &str) -> Clips {
        Clips { dir: (!dir.is_empty()).then(|| PathBuf::from(dir)) }
    }

    /// A clip's samples, silence trimmed at both ends.
    pub fn load(&self, name: &str) -> Result<Vec<i16>, VoiceError> {
        if let Some(dir) = &self.dir {
            let path = dir.join(format!("{name}.wav"));
            if path.exists() {
                let bytes = std::fs::read(&path).map_err(|source| VoiceError::Read { path: path.clone(), source })?;
                return decode(name, &bytes).map(|s| trim(&s));
            }
        }
        let (_, bytes) = BUNDLED.iter().find(|(n, _)| *n == name).ok_or_else(|| VoiceError::Missing(name.into()))?;
        decode(name, bytes).map(|s| trim(&s))
    }

    /// The clips said one after another, as one sound.
    pub fn assemble(&self, names: &[String]) -> Result<Vec<i16>, VoiceError> {
        let mut out = Vec::new();
        for (i, name) in names.iter().enumerate() {
            if i > 0 {
                let pause = if names[i - 1] == "chime" { AFTER_CHIME_MS } else { GAP_MS };
                out.extend(std::iter::repeat_n(0i16, (RATE * pause / 1000) as usize));
            }
            out.extend(self.load(name)?);
        }
        Ok(out)
    }
}

/// The PCM samples of a WAV file in the one format clips use.
pub fn decode(clip: &str, bytes: &[u8]) -> Result<Vec<i16>, VoiceError> {
    let bad = |why: &str| VoiceError::Format { clip: clip.into(), why: why.into() };
    if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
        return Err(bad("no RIFF/WAVE header"));
    }
    let (mut at, mut format_ok, mut data) = (12usize, false, None);
    while at + 8 <= bytes.len() {
        let id = &bytes[at..at + 4];
        let size = u32::from_le_bytes([bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]]) as usize;
        let body = bytes.get(at + 8..at + 8 + size).ok_or_else(|| bad("a chunk runs past the end"))?;
        match id {
            b"fmt " => {
                if body.len() < 16 {
                    return Err(bad("short format chunk"));
                }
                let word = |i: usize| u16::from_le_bytes([body[i], body[i + 1]]);
                let rate = u32::from_le_bytes([body[4], body[5], body[6], body[7]]);
                if word(0) != 1 || word(2) != 1 || rate != RATE || word(14) != 16 {
                    return Err(bad(&format!(
                        "format {}, {} channel(s), {rate} Hz, {} bits",
                        word(0),
                        word(2),
                        word(14)
                    )));
                }
                format_ok = true;
            }
            b"data" => data = Some(body),
            _ => {}
        }
        at += 8 + size + size % 2;
    }
    if !format_ok {
        return Err(bad("no format chunk"));
    }
    let data = data.ok_or_else(|| bad("no data chunk"))?;
    Ok(data.chunks_exact(2).map(|b| i16::from_le_bytes([b[0], b[1]])).collect())
}

fn trim(samples: &[i16]) -> Vec<i16> {
    let loud = |s: &i16| s.unsigned_abs() > SILENCE.unsigned_abs();
    let start = samples.iter().position(loud).unwrap_or(samples.len());
    let end = samples.iter().rposition(loud).map_or(start, |e| e + 1);
    samples[start..end].to_vec()
}

/// A WAV file of the samples.
pub fn encode(samples: &[i16]) -> Vec<u8> {
    let data_len = (samples.len() * 2) as u32;
    let mut out = Vec::with_capacity(44 + samples.len() * 2);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&RATE.to_le_bytes());
    out.extend_from_slice(&(RATE * 2).to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for s in samples {
        out.extend_from_slice(&s.to_le_bytes());
    }
    out
}

/// Plays a WAV through the system's player (`aplay`, from alsa-utils), waiting until it ends.
pub fn play(wav: &[u8]) -> Result<(), String> {
    use std::io::Write;
    let mut child = std::process::Command::new("aplay")
        .args(["-q", "-"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start aplay (alsa-utils): {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(wav).map_err(|e| format!("aplay stopped taking sound: {e}"))?;
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("aplay failed ({status}); is there a sound card?"))
    }
}

/// Something that sounds a WAV and returns when it has finished.
pub type Player = Box<dyn Fn(&[u8]) -> Result<(), String> + Send>;

struct SpeakerState {
    queue: AnnouncementQueue,
    /// Why the board is silent, once it is known; said once in the log.
    silent: Option<String>,
    spoken: u64,
}

/// The board's one voice: calls go into the announcement queue and one thread says them one at a time,
/// so two never overlap and none is cut off. Without sound (no player, no sound card, or `--no-audio`)
/// the board keeps working silently and says why once in its log and on its status line.
#[derive(Clone)]
pub struct Speaker {
    shared: Arc<(Mutex<SpeakerState>, Condvar)>,
    template: String,
}

impl Speaker {
    /// A speaker whose queue nobody empties yet (`start` does): what tests look into.
    pub fn new(voice: &crate::config::Voice) -> Speaker {
        let queue = AnnouncementQueue::new(i64::from(voice.max_age_s) * 1000, voice.repeats);
        let state = SpeakerState { queue, silent: None, spoken: 0 };
        Speaker { shared: Arc::new((Mutex::new(state), Condvar::new())), template: voice.template.clone() }
    }

    /// Starts saying what is queued: through `player`, or silently (each call taken off the queue in
    /// turn) when there is none.
    pub fn start(&self, clips: Clips, player: Option<Player>) {
        if player.is_none() {
            // Chosen, not a fault: logged, kept off the status line.
            tracing::info!("audio off: calls are shown, not spoken");
        }
        let me = self.clone();
        let spawned = std::thread::Builder::new().name("speaker".into()).spawn(move || me.speak(&clips, player));
        if let Err(e) = spawned {
            self.go_silent(&format!("Không có âm thanh / no sound: {e}"));
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, SpeakerState> {
        self.shared.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn go_silent(&self, why: &str) {
        let mut state = self.state();
        if state.silent.is_none() {
            tracing::warn!(why, "the board is silent: calls are shown, not spoken");
            state.silent = Some(why.to_string());
        }
    }

    /// Queues a call (or a recall) made at `called_ms`.
    pub fn announce(&self, number: &str, counter: u32, called_ms: i64) {
        let text = sentence(&self.template, number, counter);
        let call = Announcement { number: number.to_string(), counter, text, called_ms };
        self.state().queue.push(call);
        self.shared.1.notify_one();
    }

    /// The sentences waiting to be said, first first.
    pub fn pending(&self) -> Vec<String> {
        self.state().queue.pending().map(|a| a.text.clone()).collect()
    }

    /// Announcements said (or, silent, passed over) and dropped as too old, since the start.
    pub fn counts(&self) -> (u64, u64) {
        let state = self.state();
        (state.spoken, state.queue.dropped())
    }

    /// Why nothing is heard, for the status line; None while sound works.
    pub fn silent(&self) -> Option<String> {
        self.state().silent.clone()
    }

    fn speak(&self, clips: &Clips, player: Option<Player>) {
        loop {
            let call = {
                let mut state = self.state();
                loop {
                    let now_ms = (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64;
                    if let Some(call) = state.queue.next(now_ms) {
                        state.spoken += 1;
                        break call;
                    }
                    state = self.shared.1.wait(state).unwrap_or_else(|e| e.into_inner());
                }
            };
            let Some(play) = player.as_ref().filter(|_| self.silent().is_none()) else { continue };
            let names = clip_sequence(&self.template, &call.number, call.counter);
            let sounded = clips.assemble(&names).map_err(|e| e.to_string()).and_then(|samples| play(&encode(&samples)));
            match sounded {
                Ok(()) => tracing::info!(text = %call.text, "announced"),
                Err(e) => self.go_silent(&format!("Không phát được âm thanh / no sound: {e}")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn wait_for(what: &str, check: impl Fn() -> bool) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !check() {
            assert!(std::time::Instant::now() < deadline, "never: {what}");
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }

    fn now_ms() -> i64 {
        (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
    }

    #[test]
    fn the_speaker_says_calls_one_after_another_each_whole() {
        let played = Arc::new(Mutex::new(Vec::<usize>::new()));
        let (p, busy) = (played.clone(), Arc::new(AtomicUsize::new(0)));
        let player: Player = Box::new(move |wav| {
            // Never two at once.
            assert_eq!(busy.fetch_add(1, Ordering::SeqCst), 0, "two announcements overlap");
            std::thread::sleep(std::time::Duration::from_millis(20));
            p.lock().unwrap().push(wav.len());
            busy.fetch_sub(1, Ordering::SeqCst);
            Ok(())
        });
        let voice = crate::config::Voice { repeats: 1, ..Default::default() };
        let speaker = Speaker::new(&voice);
        speaker.announce("A001", 1, now_ms());
        speaker.announce("B002", 12, now_ms());
        assert_eq!(speaker.pending().len(), 2);
        speaker.start(Clips::new(""), Some(player));
        wait_for("both said", || played.lock().unwrap().len() == 2);
        let lengths = played.lock().unwrap().clone();
        // Each is the whole sentence: a chime and a dozen words, well over two seconds of sound.
        assert!(lengths.iter().all(|n| *n > 2 * RATE as usize * 2), "{lengths:?}");
        assert_eq!(speaker.counts(), (2, 0));
        assert_eq!(speaker.silent(), None);
    }

    #[test]
    fn without_a_sound_card_the_speaker_goes_quiet_says_why_once_and_keeps_emptying_its_queue() {
        let tries = Arc::new(AtomicUsize::new(0));
        let t = tries.clone();
        let player: Player = Box::new(move |_| {
            t.fetch_add(1, Ordering::SeqCst);
            Err("aplay failed (exit status: 1); is there a sound card?".into())
        });
        let speaker = Speaker::new(&crate::config::Voice::default());
        speaker.start(Clips::new(""), Some(player));
        speaker.announce("A001", 1, now_ms());
        wait_for("silence noticed", || speaker.silent().is_some());
        let why = speaker.silent().unwrap();
        assert!(why.starts_with("Không phát được âm thanh") && why.contains("sound card"), "{why}");
        speaker.announce("A002", 2, now_ms());
        speaker.announce("A003", 3, now_ms());
        wait_for("the queue emptied", || speaker.pending().is_empty() && speaker.counts().0 >= 3);
        assert_eq!(tries.load(Ordering::SeqCst), 1, "the player is not tried again and again");
    }

    use super::*;

    #[test]
    fn every_built_in_clip_decodes_and_has_sound() {
        for (name, _) in BUNDLED {
            let samples = Clips::new("").load(name).unwrap();
            assert!(samples.len() > (RATE / 20) as usize, "{name} is shorter than 50 ms once trimmed");
        }
    }

    #[test]
    fn round_trip_and_refusals() {
        let samples = vec![0, 1000, -1000, 0];
        assert_eq!(decode("x", &encode(&samples)).unwrap(), samples);
        assert_eq!(trim(&[0, 10, 1000, -900, 5, 0]), [1000, -900]);
        let mut stereo = encode(&samples);
        stereo[22] = 2;
        assert!(decode("x", &stereo).unwrap_err().to_string().contains("2 channel(s)"));
        assert!(matches!(decode("x", b"garbage"), Err(VoiceError::Format { .. })));
        let mut cut = encode(&samples);
        cut.truncate(46);
        assert!(decode("x", &cut).unwrap_err().to_string().contains("past the end"));
        assert!(matches!(Clips::new("").load("nope"), Err(VoiceError::Missing(_))));
    }
}
