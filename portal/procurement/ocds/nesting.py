"""The nesting guard: whether a JSON document nests arrays and objects deeper than a
limit, counted over its bytes, chunk by chunk, before any parser reads it."""

from itertools import accumulate

# 1 for what opens an array or object, -1 for what closes one, by byte value.
DEPTH_STEPS = [0] * 256
DEPTH_STEPS[ord("[")] = 1
DEPTH_STEPS[ord("]")] = -1
NOT_STRUCTURE = bytes(byte for byte in range(256) if byte not in b'"[]{}')
# Objects nest as arrays do: one kind of bracket is enough to count.
OBJECTS_AS_ARRAYS = bytes.maketrans(b"{}", b"[]")
# Up to this many backslashes in what is fed, escapes are found one by one.
FEW_BACKSLASHES = 256


def _drop_quoting_escapes(text: bytes) -> bytes:
    """``text`` without its escaped quotes and backslashes (``\\"``, ``\\\\``): the
    escapes that would change where a string ends. Others (``\\n``) are left."""
    if text.count(b"\\") > FEW_BACKSLASHES:
        return text.replace(b"\\\\", b"").replace(b'\\"', b"")
    pieces, start = [], 0
    at = text.find(b"\\")
    while at >= 0:
        if text[at + 1 : at + 2] in (b'"', b"\\"):
            pieces.append(text[start:at])
            start = at + 2
        at = text.find(b"\\", at + 2)
    if not pieces:
        return text
    pieces.append(text[start:])
    return b"".join(pieces)


class NestingDepth:
    """Whether the JSON fed to it, chunk by chunk, nests arrays and objects more than
    ``limit`` deep, in memory that does not grow with the depth: it runs before any
    parser does. (ijson builds a prefix for every level, ``item.item.…``, so its memory
    grows with the square of the depth: 200 KB of ``[`` would take 24 GB; Python's json
    recurses.)

    Only brackets outside strings count: the escapes that could end a string early are
    dropped first (one cut by a chunk's end is carried to the next), then the quotes
    split strings from the rest. Exact for valid JSON; invalid JSON is refused by the
    syntax check that follows, which stops where the syntax breaks.

    Counting bracket by bracket is the slow part, so a cheaper bound comes first: each
    pass that removes the innermost pairs (``[]``) lowers the deepest point by at most
    one, and what no pair is left in (``]]][[``) is read at a glance."""

    def __init__(self, limit: int):
        self.limit = limit
        self.depth = 0
        self.too_deep = False
        self.in_string = False
        self._carry = b""

    def feed(self, chunk: bytes) -> None:
        chunk = self._carry + chunk
        trailing = len(chunk) - len(chunk.rstrip(b"\\"))
        if trailing % 2:
            chunk, self._carry = chunk[:-1], b"\\"
        else:
            self._carry = b""
        chunk = _drop_quoting_escapes(chunk)
        # Two quotes side by side hold nothing between them (an empty string, or no
        # brackets between two strings): dropping them keeps the rest as it was.
        structure = chunk.translate(OBJECTS_AS_ARRAYS, NOT_STRUCTURE).replace(b'""', b"")
        parts = structure.split(b'"')
        outside = b"".join(parts[1::2] if self.in_string else parts[0::2])
        if len(parts) % 2 == 0:
            self.in_string = not self.in_string
        if not outside:
            return
        if not self.too_deep:
            self.too_deep = self._deeper_than_limit(outside)
        opened = outside.count(b"[")
        self.depth += opened - (len(outside) - opened)

    def _deeper_than_limit(self, brackets: bytes) -> bool:
        reduced, passes = brackets, 0
        while passes <= self.limit:
            shorter = reduced.replace(b"[]", b"")
            if len(shorter) == len(reduced):
                break
            reduced, passes = shorter, passes + 1
        else:
            return True  # a pair nested deeper than the limit
        closed = reduced.count(b"]")
        bound = max(self.depth, self.depth - closed + len(reduced) - closed) + passes
        if bound <= self.limit:
            return False
        running = accumulate(map(DEPTH_STEPS.__getitem__, brackets), initial=self.depth)
        return max(running) > self.limit
