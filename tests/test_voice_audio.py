"""Audio in: every container and codec that arrives, and every refusal with its message."""
from __future__ import annotations

import numpy as np
import pytest

from voice import audio

RATE = audio.RATE


def tone(seconds=2.0, rate=RATE, level=0.3):
    t = np.arange(int(seconds * rate)) / rate
    # two tones with a rising envelope: not a constant, so resampling errors would show
    wave = level * np.sin(2 * np.pi * 440 * t) * np.linspace(0.2, 1.0, len(t))
    return (wave * 32767).astype(np.int16)


@pytest.mark.parametrize("container, codec, rate", [
    ("wav", "pcm_s16le", 16000),
    ("wav", "pcm_s16le", 44100),  # resampled
    ("ogg", "libopus", 16000),  # Telegram voice notes
    ("webm", "libopus", 16000),  # browsers
    ("mp3", "libmp3lame", 16000),
    ("wav", "pcm_mulaw", 8000),  # telephone μ-law
    ("wav", "pcm_alaw", 8000),  # telephone A-law
])
def test_every_format_decodes_to_16k_mono(container, codec, rate):
    data = audio.encode(tone(rate=rate), rate, container, codec)
    decoded = audio.decode(data)
    assert decoded.pcm.dtype == np.int16
    assert abs(decoded.seconds - 2.0) < 0.1  # codec padding only
    assert -20 < audio.loudest_dbfs(decoded.pcm) < -8  # the level survives (tone peaks at -10.5 dBFS)


def test_stereo_is_mixed_to_mono():
    import io

    import av

    buffer = io.BytesIO()
    with av.open(buffer, "w", format="wav") as out:
        stream = out.add_stream("pcm_s16le", rate=RATE)
        stream.layout = "stereo"
        samples = np.stack([tone(), tone()]).T.reshape(1, -1).copy()
        frame = av.AudioFrame.from_ndarray(samples, format="s16", layout="stereo")
        frame.sample_rate = RATE
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    decoded = audio.decode(buffer.getvalue())
    assert abs(decoded.seconds - 2.0) < 0.05


def test_headerless_telephone_mulaw():
    data = audio.encode(tone(rate=8000), 8000, "mulaw", "pcm_mulaw")
    assert audio.decode(data, raw="mulaw").seconds == pytest.approx(2.0, abs=0.01)


@pytest.mark.parametrize("data, message", [
    (None, audio.EMPTY),
    (b"", audio.EMPTY),
    (b"not audio at all" * 20, audio.CORRUPT),
    (bytes(range(256)) * 40, audio.CORRUPT),
])
def test_unusable_bytes_are_refused_politely(data, message):
    with pytest.raises(audio.AudioError) as refusal:
        audio.decode(data)
    assert str(refusal.value) == message


def test_truncated_file_is_refused():
    data = audio.encode(tone(), RATE, "ogg", "libopus")
    with pytest.raises(audio.AudioError) as refusal:
        audio.decode(data[:200])
    assert str(refusal.value) in (audio.CORRUPT, audio.EMPTY)


def test_silence_and_hiss_are_refused():
    for pcm in (np.zeros(RATE * 2, np.int16), (np.random.default_rng(1).normal(0, 3, RATE * 2)).astype(np.int16)):
        with pytest.raises(audio.AudioError) as refusal:
            audio.decode(audio.to_wav(pcm, RATE))
        assert str(refusal.value) == audio.SILENT


def test_longer_than_a_minute_is_refused():
    with pytest.raises(audio.AudioError) as refusal:
        audio.decode(audio.encode(tone(61), RATE, "ogg", "libopus"))
    assert str(refusal.value) == audio.TOO_LONG
    assert audio.decode(audio.to_wav(tone(59), RATE)).seconds == pytest.approx(59, abs=0.01)


def test_tempo_changes_the_length_and_keeps_the_sound():
    tone = (np.sin(np.arange(32000) * 2 * np.pi * 440 / 16000) * 8000).astype(np.int16)
    slow, fast = audio.tempo(tone, 16000, 0.75), audio.tempo(tone, 16000, 1.25)
    assert abs(len(slow) - 32000 / 0.75) < 800 and abs(len(fast) - 32000 / 1.25) < 800
    assert audio.loudest_dbfs(slow) > -20
    assert audio.tempo(tone, 16000, 1.0) is tone and len(audio.tempo(tone[:0], 16000, 0.75)) == 0
