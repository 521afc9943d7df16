"""The grader's wire format: length-prefixed frames of JSON, arrays as base64 ``.npy`` bytes.

Both sides of the sandbox use it: the grader, and the sandbox worker, which loads this file by
path and so must find here nothing but the standard library and NumPy. Nothing read from the
wire is unpickled or evaluated: frames are parsed as JSON, arrays read with
``np.load(..., allow_pickle=False)``.
"""

from __future__ import annotations

import base64
import binascii
import io
import struct
from typing import BinaryIO

import numpy as np

_LENGTH = struct.Struct(">I")
MAX_ITEMS = 10_000        # list, tuple and dict items sent for one answer
MAX_DEPTH = 20            # levels of nesting sent for one answer
MAX_TEXT = 10_000         # characters of a string answer


class WireError(ValueError):
    """Bytes that do not follow the wire format."""


def frame(payload: bytes) -> bytes:
    """``payload`` preceded by its length (4 bytes, big-endian)."""
    return _LENGTH.pack(len(payload)) + payload


def read_frame(stream: BinaryIO) -> bytes | None:
    """The next frame's payload from a blocking stream, or None at the end of the stream."""
    header = stream.read(_LENGTH.size)
    if not header:
        return None
    if len(header) < _LENGTH.size:
        raise WireError("the stream ended inside a frame's header")
    (length,) = _LENGTH.unpack(header)
    payload = stream.read(length)
    if len(payload) < length:
        raise WireError("the stream ended inside a frame")
    return payload


class FrameBuffer:
    """Splits bytes arriving in arbitrary chunks into frames; refuses frames over ``limit`` bytes."""

    def __init__(self, limit: int):
        self.limit = limit
        self._data = bytearray()

    def feed(self, chunk: bytes) -> list[bytes]:
        """Add ``chunk``; return the payloads completed by it, in order."""
        self._data += chunk
        payloads = []
        while len(self._data) >= _LENGTH.size:
            (length,) = _LENGTH.unpack_from(self._data)
            if length > self.limit:
                raise WireError(f"a frame of {length} bytes is over the limit of {self.limit}")
            end = _LENGTH.size + length
            if len(self._data) < end:
                break
            payloads.append(bytes(self._data[_LENGTH.size:end]))
            del self._data[:end]
        return payloads


def pack_array(array: np.ndarray) -> str:
    """An array of numbers or booleans as base64 text of its ``.npy`` bytes."""
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.asarray(array), allow_pickle=False)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def unpack_array(text: str) -> np.ndarray:
    """The array that ``pack_array`` packed, read without unpickling; WireError if it is not one."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
        array = np.load(io.BytesIO(raw), allow_pickle=False)
    except (AttributeError, UnicodeError, binascii.Error, ValueError, EOFError, OSError) as error:
        raise WireError(f"not an array: {error}") from None
    if not isinstance(array, np.ndarray):
        raise WireError("not an array")
    return array
