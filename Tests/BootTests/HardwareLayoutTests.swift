import BookKit
import Foundation
import Testing

/// Swift does not promise a structure's layout, but the processor relies
/// on the IDT gate's: the layout the compiler chose, read from the built
/// image's DWARF, must be the one the SDM describes. (ExceptionFrame has no
/// DWARF type left after optimisation; ExceptionTests checks it by what
/// the handler reads from each field.)
@Suite struct HardwareLayoutTests {
    /// The byte size of the structure `name` and its members' offsets.
    static func layout(of name: String, in image: URL) throws -> (size: Int, members: [String: Int]) {
        let dump = try Command(.dwarfdump, ["--name=\(name)", "--show-children", image.path]).check()
        var size: Int?
        var members: [String: Int] = [:]
        var inStructure = false, member: String?
        func value(_ line: Substring) -> Int? {
            guard let open = line.lastIndex(of: "("), let close = line.lastIndex(of: ")") else { return nil }
            let text = line[line.index(after: open)..<close]
            return text.hasPrefix("0x") ? Int(text.dropFirst(2), radix: 16) : Int(text)
        }
        for line in dump.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces)[...] }) {
            if line.hasSuffix("DW_TAG_structure_type") {
                if size != nil { break }  // the first definition is enough
                inStructure = true
            } else if line.hasSuffix("DW_TAG_member") {
                member = nil
            } else if line.hasSuffix("DW_TAG_subprogram") {
                if size != nil { break }
            } else if inStructure, line.hasPrefix("DW_AT_byte_size"), size == nil {
                size = value(line)
            } else if inStructure, line.hasPrefix("DW_AT_name"), size != nil, let open = line.firstIndex(of: "\"") {
                member = String(line[line.index(after: open)...].dropLast(2))
            } else if inStructure, line.hasPrefix("DW_AT_data_member_location"), let member, let offset = value(line) {
                members[member] = offset
            }
        }
        return (try #require(size, "no structure \(name) in \(image.path)"), members)
    }

    @Test func anIDTGateIsTheSDMs16ByteDescriptor() throws {
        let gate = try Self.layout(of: "GateDescriptor", in: try builtBook.get().recipe.elf64)
        #expect(gate.size == 16)
        #expect(gate.members == ["offsetLow": 0, "selector": 2, "options": 4, "offsetMiddle": 6, "offsetHigh": 8])
    }
}
