#!/usr/bin/env python3
"""Writes fuzz/seeds/: small valid and broken IDX files, plain and gzip'd, for the fuzzer to
start from. Deterministic (fixed gzip mtime), so running it again changes nothing.

    python3 fuzz/make_seeds.py
"""
import gzip
import pathlib
import struct

IMAGES, LABELS = 2051, 2049
seeds = pathlib.Path(__file__).resolve().parent / "seeds"


def idx(magic, dims, payload=b""):
    return struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in dims) + payload


def gz(data):
    return gzip.compress(data, compresslevel=9, mtime=0)


pixels = bytes((i * 7) % 256 for i in range(2 * 28 * 28))
files = {
    # valid
    "labels_plain": idx(LABELS, [3], bytes([7, 0, 9])),
    "labels_gzip": gz(idx(LABELS, [3], bytes([7, 0, 9]))),
    "labels_empty_plain": idx(LABELS, [0]),
    "images_plain": idx(IMAGES, [2, 28, 28], pixels),
    "images_gzip": gz(idx(IMAGES, [2, 28, 28], pixels)),
    "images_empty_gzip": gz(idx(IMAGES, [0, 28, 28])),
    # broken
    "too_short": b"\x00\x00\x08",
    "wrong_magic": idx(0x00000D03, [1], b"\x01"),
    "header_cut": idx(IMAGES, [1, 28]),
    "images_not_28x28": idx(IMAGES, [1, 4, 4], bytes(16)),
    "images_truncated_plain": idx(IMAGES, [2, 28, 28], pixels[:1000]),
    "images_truncated_gzip": gz(idx(IMAGES, [2, 28, 28], pixels))[:300],
    "labels_trailing_plain": idx(LABELS, [2], bytes([1, 2, 3])),
    "labels_trailing_gzip": gz(idx(LABELS, [2], bytes([1, 2, 3]))),
    "huge_header_plain": idx(IMAGES, [1 << 31, 28, 28]),
    "huge_header_gzip": gz(idx(IMAGES, [1 << 31, 28, 28])),
    "max_dims": idx(IMAGES, [0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF]),
    "gzip_bad_crc": gz(idx(LABELS, [3], bytes([7, 0, 9])))[:-8] + b"\x00\x00\x00\x00\x03\x00\x00\x00",
    "gzip_header_only": gz(b"")[:10],
    "gzip_magic_only": b"\x1f\x8b",
    "gzip_garbage": b"\x1f\x8b\x08\x00" + bytes(range(40)),
    "gzip_two_members": gz(idx(LABELS, [4], bytes([1, 2])))[:] + gz(bytes([3, 4])),
}

seeds.mkdir(exist_ok=True)
for name, data in files.items():
    (seeds / name).write_bytes(data)
print(f"{len(files)} seeds in {seeds}")
