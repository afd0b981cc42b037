#!/usr/bin/env python3
"""Writes every golden vector of docs/protocol.md to fuzz/seeds/fuzz_decoder/NAME.bin."""
import pathlib
import re

root = pathlib.Path(__file__).resolve().parent.parent
doc = (root / "docs" / "protocol.md").read_text()
out = root / "fuzz" / "seeds" / "fuzz_decoder"
out.mkdir(parents=True, exist_ok=True)
pattern = re.compile(r"<!-- (bad-)?vector: (\S+)[^>]*-->\n```hex\n(.*?)```", re.S)
for bad, name, hex_text in pattern.findall(doc):
    (out / f"{'bad-' if bad else ''}{name}.bin").write_bytes(bytes.fromhex(hex_text))
print(f"wrote {len(list(out.glob('*.bin')))} seeds to {out}")
