#!/usr/bin/env python3
"""Seeds for Fuzz/run-boot: boot information of all three protocols, each
with the same small ELF64 kernel as its first module, over a sane memory
map and over hostile ones (duplicate, overlapping, reserved inside usable,
zero-length and wrapping entries). An input is one protocol byte (0
Multiboot1, 1 Multiboot2, 2 PVH) and then the bytes at physical 0x1000.
Usage: boot-seeds.py FOLDER"""
import os
import struct
import sys

BASE = 0x1000          # where the input's bytes lie in physical memory
MAP = 0x3000           # memory map / module list
STRINGS = 0x3800
KERNEL = 0x4000        # the kernel module, 0x2000 bytes
USABLE, RESERVED, ACPI = 1, 2, 3


def elf_kernel():
    """An ELF64 executable: code r-x at 0xffffffffc0000000, data rw- with
    a .bss behind it."""
    file = bytearray(0x2000)
    file[0:4] = b"\x7fELF"
    file[4:7] = bytes([2, 1, 1])
    struct.pack_into("<HHIQQQIHHHHHH", file, 16, 2, 62, 1, 0xFFFFFFFFC0000010, 64, 0, 0, 64, 56, 2, 0, 0, 0)
    segments = [(5, 0x1000, 0xFFFFFFFFC0000000, 0x100, 0x100), (6, 0x1100, 0xFFFFFFFFC0001100, 0x10, 0x5000)]
    for index, (flags, offset, address, filesz, memsz) in enumerate(segments):
        struct.pack_into("<IIQQQQQQ", file, 64 + index * 56, 1, flags, offset, address, address, filesz, memsz, 0x1000)
    file[0x1010] = 0xF4  # hlt
    return bytes(file)


SANE = [(0, 0x9FC00, USABLE), (0xF0000, 0x10000, RESERVED), (0x100000, 0x3F00000, USABLE)]
HOSTILE = {
    "duplicates": SANE + [(0x100000, 0x3F00000, USABLE)],
    "reserved-inside-usable": SANE + [(0x100000, 0x100000, RESERVED), (0x300000, 0x1000, ACPI)],
    "overlapping-usable": [(0, 0x9FC00, USABLE), (0x100000, 0x800000, USABLE), (0x400000, 0x3C00000, USABLE)],
    "zero-length-and-wrapping": SANE + [(0x500000, 0, RESERVED), (0xFFFFFFFFFFFFF000, 0x2000, USABLE)],
    "unsorted": list(reversed(SANE)),
}


def place(memory, address, data):
    offset = address - BASE
    if len(memory) < offset + len(data):
        memory.extend(bytes(offset + len(data) - len(memory)))
    memory[offset:offset + len(data)] = data


def multiboot1(regions):
    memory = bytearray(0x6000 - BASE)
    info = bytearray(116)
    flags = (1 << 2) | (1 << 3) | (1 << 6)
    entries = b"".join(struct.pack("<IQQI", 20, base, length, kind) for base, length, kind in regions)
    struct.pack_into("<I", info, 0, flags)
    struct.pack_into("<III", info, 16, STRINGS, 1, MAP + 0x400)
    struct.pack_into("<II", info, 44, len(entries), MAP)
    place(memory, BASE, info)
    place(memory, MAP, entries)
    place(memory, MAP + 0x400, struct.pack("<IIII", KERNEL, KERNEL + 0x2000, STRINGS + 0x10, 0))
    place(memory, STRINGS, b"console=debugcon\0")
    place(memory, STRINGS + 0x10, b"kernel.elf\0")
    place(memory, KERNEL, elf_kernel())
    return bytes([0]) + bytes(memory)


def multiboot2(regions):
    def tag(kind, body):
        data = struct.pack("<II", kind, 8 + len(body)) + body
        return data + bytes(-len(data) % 8)
    tags = tag(1, b"console=debugcon\0")
    tags += tag(3, struct.pack("<II", KERNEL, KERNEL + 0x2000) + b"kernel.elf\0")
    tags += tag(6, struct.pack("<II", 24, 0) + b"".join(struct.pack("<QQII", b, l, k, 0) for b, l, k in regions))
    tags += tag(0, b"")
    memory = bytearray(0x6000 - BASE)
    place(memory, BASE, struct.pack("<II", 8 + len(tags), 0) + tags)
    place(memory, KERNEL, elf_kernel())
    return bytes([1]) + bytes(memory)


def pvh(regions):
    memory = bytearray(0x6000 - BASE)
    place(memory, BASE, struct.pack("<IIIIQQQQII", 0x336EC578, 1, 0, 1, MAP + 0x400, STRINGS, 0, MAP, len(regions), 0))
    place(memory, MAP, b"".join(struct.pack("<QQII", b, l, k, 0) for b, l, k in regions))
    place(memory, MAP + 0x400, struct.pack("<QQQQ", KERNEL, 0x2000, STRINGS + 0x10, 0))
    place(memory, STRINGS, b"console=debugcon\0")
    place(memory, STRINGS + 0x10, b"kernel.elf\0")
    place(memory, KERNEL, elf_kernel())
    return bytes([2]) + bytes(memory)


def main():
    folder = sys.argv[1]
    os.makedirs(folder, exist_ok=True)
    maps = {"sane": SANE, **HOSTILE}
    for protocol in (multiboot1, multiboot2, pvh):
        for name, regions in maps.items():
            with open(os.path.join(folder, f"{protocol.__name__}-{name}"), "wb") as out:
                out.write(protocol(regions))


if __name__ == "__main__":
    main()
