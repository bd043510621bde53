//! Announcements as sound: clips (22,050 Hz, mono, 16-bit PCM WAV) said one after another, each with its
//! silence trimmed and a short pause between words. The default clips (espeak-ng's Vietnamese voice,
//! `assets/audio/vi/generate.sh`) are built into the binary; a folder given in `voice.clips_dir` replaces
//! any of them by a recording of the same name.

use std::path::PathBuf;

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

#[cfg(test)]
mod tests {
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
