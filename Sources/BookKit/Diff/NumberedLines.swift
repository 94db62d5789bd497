/// Lines as numbers: equal lines get equal numbers, so that comparing
/// two texts compares numbers. (An open-addressing table of numbers by
/// hash value: a `[String: Int32]` spends most of its time resizing and
/// missing the cache.)
struct NumberedLines {
    private(set) var strings: [String] = []
    private var hashes: [Int] = []
    /// Number + 1 of the line in each slot, 0 for an empty slot.
    private var slots = [Int32](repeating: 0, count: 1 << 10)

    mutating func number(_ line: String) -> Int32 {
        let hash = line.hashValue
        let mask = slots.count - 1
        var slot = hash & mask
        while slots[slot] != 0 {
            let number = Int(slots[slot] - 1)
            if hashes[number] == hash, strings[number] == line { return Int32(number) }
            slot = (slot + 1) & mask
        }
        let number = Int32(strings.count)
        strings.append(line)
        hashes.append(hash)
        slots[slot] = number + 1
        if strings.count * 2 > slots.count { grow() }
        return number
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (number, hash) in hashes.enumerated() {
            var slot = hash & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(number + 1)
        }
    }

    subscript(number: Int32) -> String { strings[Int(number)] }
}
