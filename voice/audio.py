"""Audio in: whatever arrives, decoded to 16 kHz mono 16-bit PCM, or refused politely.

WAV, OGG/Opus (Telegram voice notes), WebM/Opus (browsers), MP3 and WAV with 8 kHz
telephone μ-law / A-law are read by PyAV (FFmpeg's demuxers and decoders, which
faster-whisper brings). Headerless telephone audio is read with ``raw="mulaw"`` or
``raw="alaw"`` at 8 kHz. Refusals carry a sentence for the person: empty, corrupt,
silent, longer than 60 s.
"""
from __future__ import annotations

import io
import wave
from dataclasses import dataclass
from typing import Optional

import av
import numpy as np

RATE = 16000
MAX_SECONDS = 60.0
# Quieter than this (RMS, dBFS) over the loudest half-second is silence.
SILENCE_DBFS = -50.0

EMPTY = "没有收到声音，请再说一遍，或者打字。"
CORRUPT = "这段声音打不开，请重新录一遍，或者打字。"
SILENT = "没有听到说话声，请靠近一点再说一遍。"
TOO_LONG = "这段话太长了，请分几次说，每次一分钟以内。"


class AudioError(ValueError):
    """Audio that cannot be used; ``str(error)`` is for the person, in Chinese."""


@dataclass
class Audio:
    """16 kHz mono 16-bit PCM."""

    pcm: np.ndarray  # int16

    @property
    def seconds(self) -> float:
        return len(self.pcm) / RATE

    def floats(self) -> np.ndarray:
        """float32 in [-1, 1], as the recognisers want it."""
        return self.pcm.astype(np.float32) / 32768.0

    def wav(self) -> bytes:
        return to_wav(self.pcm, RATE)


def to_wav(pcm: np.ndarray, rate: int) -> bytes:
    """A mono 16-bit WAV file of ``pcm`` (int16, or floats in [-1, 1])."""
    if pcm.dtype != np.int16:
        pcm = (np.clip(pcm, -1.0, 1.0) * 32767).astype(np.int16)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())
    return buffer.getvalue()


def loudest_dbfs(pcm: np.ndarray, window: int = RATE // 2) -> float:
    """RMS level of the loudest half-second, in dB below full scale."""
    if len(pcm) == 0:
        return -120.0
    samples = pcm.astype(np.float64) / 32768.0
    best = 0.0
    for start in range(0, max(1, len(samples) - window + 1), window // 2):
        chunk = samples[start:start + window]
        best = max(best, float(np.sqrt(np.mean(chunk * chunk))))
    return 20 * np.log10(best) if best > 0 else -120.0


def decode(data: Optional[bytes], raw: Optional[str] = None, raw_rate: int = 8000,
           max_seconds: float = MAX_SECONDS) -> Audio:
    """Bytes of any supported format → 16 kHz mono PCM; AudioError if unusable."""
    if not data:
        raise AudioError(EMPTY)
    options = {}
    container_format = None
    if raw in ("mulaw", "alaw"):
        container_format = raw
        options = {"sample_rate": str(raw_rate), "channels": "1"}
    pieces = []
    total = 0
    try:
        with av.open(io.BytesIO(data), format=container_format, options=options) as container:
            streams = container.streams.audio
            if not streams:
                raise AudioError(CORRUPT)
            resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)
            for frame in container.decode(streams[0]):
                for out in resampler.resample(frame):
                    chunk = out.to_ndarray().reshape(-1)
                    pieces.append(chunk)
                    total += len(chunk)
                if total > max_seconds * RATE:
                    raise AudioError(TOO_LONG)
            for out in resampler.resample(None):
                pieces.append(out.to_ndarray().reshape(-1))
    except AudioError:
        raise
    except (av.error.FFmpegError, ValueError, IndexError, EOFError):
        raise AudioError(CORRUPT) from None
    pcm = np.concatenate(pieces).astype(np.int16) if pieces else np.zeros(0, np.int16)
    if len(pcm) == 0:
        raise AudioError(EMPTY if len(data) < 64 else CORRUPT)
    if len(pcm) > max_seconds * RATE:
        raise AudioError(TOO_LONG)
    if loudest_dbfs(pcm) < SILENCE_DBFS:
        raise AudioError(SILENT)
    return Audio(pcm)


def encode(pcm: np.ndarray, rate: int, container: str = "ogg", codec: str = "libopus",
           bitrate: int = 32000, out_rate: Optional[int] = None) -> bytes:
    """PCM (int16, or floats in [-1, 1]) → a compressed file: OGG/Opus for Telegram
    voice notes, or "webm", "mp3" (codec "libmp3lame"), "wav" ("pcm_mulaw" at 8 kHz).
    ``out_rate``: the file's sample rate (by default 48 kHz for Opus, else ``rate``);
    FFmpeg's resampler filters out what the lower rate cannot carry, as a phone line does."""
    if pcm.dtype != np.int16:
        pcm = (np.clip(pcm, -1.0, 1.0) * 32767).astype(np.int16)
    out_rate = out_rate or (48000 if codec == "libopus" else rate)
    buffer = io.BytesIO()
    with av.open(buffer, "w", format=container) as output:
        stream = output.add_stream(codec, rate=out_rate)
        stream.layout = "mono"
        if codec not in ("pcm_mulaw", "pcm_alaw", "pcm_s16le"):
            stream.bit_rate = bitrate
        resampler = av.AudioResampler(format=stream.format.name if stream.format else "s16",
                                      layout="mono", rate=out_rate)
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(pcm).reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = rate
        for piece in resampler.resample(frame) + resampler.resample(None):
            for packet in stream.encode(piece):
                output.mux(packet)
        for packet in stream.encode(None):
            output.mux(packet)
    return buffer.getvalue()


def tempo(pcm: np.ndarray, rate: int, factor: float) -> np.ndarray:
    """Speech played ``factor`` times as fast, pitch kept (FFmpeg's atempo, through PyAV)."""
    if factor == 1.0 or len(pcm) == 0:
        return pcm
    graph = av.filter.Graph()
    source = graph.add_abuffer(format="s16", sample_rate=rate, layout="mono")
    stretch = graph.add("atempo", str(factor))
    sink = graph.add("abuffersink")
    source.link_to(stretch)
    stretch.link_to(sink)
    graph.configure()
    frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(pcm, np.int16).reshape(1, -1), format="s16",
                                       layout="mono")
    frame.sample_rate = rate
    graph.push(frame)
    graph.push(None)
    pieces = []
    while True:
        try:
            pieces.append(graph.pull().to_ndarray().reshape(-1))
        except (av.error.EOFError, av.error.BlockingIOError):
            break
    return np.concatenate(pieces) if pieces else np.zeros(0, np.int16)
