"""Risk signals in free text (case notes, police replies, programme and unpaid-work reports).

Pure Python: no Django, no I/O. `detect(text)` returns the signals with the words that raised them;
`suggestions.suggestion_for(signal, text)` turns one into a pre-filled timeline event for a person to confirm.
"""

from safeguard.signals.detector import KINDS, Candidate, Signal, candidates, detect

__all__ = ["KINDS", "Candidate", "Signal", "candidates", "detect"]
