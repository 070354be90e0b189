"""Speech in and out (audio decoding, speech-to-text, text-to-speech, rendering for
the ear). Built in the voice issue; the package exists so the layout is complete."""
