import Foundation

/// Binary files (the chapters' images) cannot carry the header that marks a
/// generated file, so their checksums go into a generated text file at the
/// top of their folder, `book-checksums.txt`: a binary file that matches its
/// entry is one the generator wrote, one that does not was edited by hand,
/// one with no entry is not the generator's.
enum ChecksumList {
    static let name = "book-checksums.txt"

    /// The list for `files` (all binary, all under `folder`), itself a
    /// generated file.
    static func file(for files: [GeneratedFile], in folder: String) -> GeneratedFile {
        let entries = files.sorted { $0.path < $1.path }.map { file in
            "\(Checksum.hex(of: file.bytes ?? Data()))  \(file.path.dropFirst(folder.count + 1))\n"
        }
        let chapters = Array(Set(files.flatMap(\.chapters))).sorted()
        return GeneratedFile(path: "\(folder)/\(name)", body: entries.joined(), chapters: chapters)
    }

    /// The checksums a list on disk (at `path`, with `contents`) records,
    /// by the path of each file. An entry that would reach outside the
    /// list's folder is ignored: a hand-edited list must not make the
    /// generator remove files elsewhere.
    static func entries(at path: String, contents: String) -> [String: String] {
        let folder = path.dropLast(name.count)
        var entries: [String: String] = [:]
        for line in contents.split(separator: "\n").dropFirst(GeneratedFileHeader.lineCount) {
            let fields = line.split(separator: " ", maxSplits: 1)
            guard fields.count == 2 else { continue }
            let relative = fields[1].drop { $0 == " " }
            let components = relative.split(separator: "/", omittingEmptySubsequences: false)
            guard !components.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else { continue }
            entries[String(folder) + relative] = String(fields[0])
        }
        return entries
    }
}
