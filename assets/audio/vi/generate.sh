#!/usr/bin/env bash
# Regenerates the default announcement clips with espeak-ng's Northern Vietnamese voice (Debian package
# espeak-ng) and a two-tone chime. Every clip is 22,050 Hz, mono, 16-bit PCM WAV. A hall may replace any
# clip with a studio recording of the same name and format (see voice.clips_dir in config.example.toml).
# Usage: assets/audio/vi/generate.sh
set -euo pipefail
cd "$(dirname "$0")"
say() { # file text
    espeak-ng -v vi -s 150 -w "$1.wav" "$2"
}
# Phrases of the default template, named by their words without marks.
say moi-cong-dan-co-so-thu-tu "Mời công dân có số thứ tự"
say den-quay-so "đến quầy số"
# Digits and the words of Vietnamese numbers; names tell apart words that differ only by their marks.
say khong "không"; say mot "một"; say hai "hai"; say ba "ba"; say bon "bốn"; say nam "năm"; say sau "sáu"
say bay "bảy"; say tam "tám"; say chin "chín"
say muoi-huyen "mười"; say muoi-ngang "mươi"; say mot-sac "mốt"; say tu "tư"; say lam "lăm"; say le "lẻ"
say tram "trăm"; say nghin "nghìn"
# Ticket letters, as Vietnamese say them.
for pair in a:a b:bê c:xê d:dê e:e f:ép g:giê h:hát i:i j:gi k:ca l:e-lờ m:em-mờ n:en-nờ o:o p:pê q:quy r:e-rờ \
    s:ét-sì t:tê u:u v:vê w:vê-kép x:ích-xì y:i-dài z:dét; do
    say "letter-${pair%%:*}" "${pair#*:}"
done
# The chime: two soft tones (G5 then E5), 0.9 s.
python3 - <<'PY'
import math, struct, wave
rate = 22050
samples = []
for freq, length in ((784.0, 0.45), (659.3, 0.45)):
    n = int(rate * length)
    for i in range(n):
        envelope = min(1.0, i / 200) * math.exp(-3.0 * i / n)
        samples.append(int(12000 * envelope * math.sin(2 * math.pi * freq * i / rate)))
with wave.open("chime.wav", "wb") as w:
    w.setnchannels(1)
    w.setsampwidth(2)
    w.setframerate(rate)
    w.writeframes(struct.pack("<%dh" % len(samples), *samples))
PY
echo "clips written to $(pwd)"
