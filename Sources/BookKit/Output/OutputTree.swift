import Foundation

/// A folder the generator writes into: the book's root for `book tangle`,
/// or a separate folder for a chapter's code state. It compares what the
/// chapters produce with what is on disk and writes only the difference,
/// atomically, never over a file someone edited by hand.
public struct OutputTree: Sendable {
    public var root: URL
    /// The folders searched for generated files that no chapter produces
    /// any more.
    public var managedFolders: [String]

    /// Where `book tangle` writes: the bootloader's code and the files of
    /// its GRUB rescue ISO.
    public static let codeFolders = ["Sources", "asm", "iso"]
    /// Where `book weave` writes: the rendered book.
    public static let siteFolders = ["site"]

    public init(root: URL, managedFolders: [String] = OutputTree.codeFolders) {
        self.root = root
        self.managedFolders = managedFolders
    }

    /// One difference between the chapters and the disk.
    public enum Change: Hashable, Sendable, CustomStringConvertible {
        case create(String)
        case update(String)
        case remove(String)
        /// The file differs from what was last generated: edited by hand.
        case editedByHand(String)
        /// A file that the generator did not write sits where it would write.
        case foreign(String)

        public var path: String {
            switch self {
            case .create(let p), .update(let p), .remove(let p), .editedByHand(let p), .foreign(let p): p
            }
        }

        public var description: String { "\(path): \(reason)" }

        public var reason: String {
            switch self {
            case .create: "missing (a chapter generates it)"
            case .update: "differs from what the chapters generate"
            case .remove: "generated, but no chapter produces it any more"
            case .editedByHand: "edited by hand since it was generated"
            case .foreign: "exists and was not written by book, but a chapter generates it"
            }
        }

        var isConflict: Bool {
            switch self {
            case .editedByHand, .foreign: true
            default: false
            }
        }
    }

    /// Every difference between `files` and the disk, sorted by path.
    public func changes(for files: [GeneratedFile]) -> [Change] {
        compare(files, keeping: []).changes
    }

    /// The changes, and the contents of every file that needs writing (by
    /// path). Each file is read and compared on its own, on all cores.
    /// `keeping` names generated files known to be up to date: they are
    /// neither read nor removed.
    private func compare(_ files: [GeneratedFile], keeping: Set<String>) -> (changes: [Change], contents: [String: FileBatch.Contents]) {
        let onDisk = generatedFilesOnDisk()
        let recorded = recordedChecksums(among: onDisk)
        let compareOne: @Sendable (GeneratedFile) -> (change: Change?, contents: FileBatch.Contents) = { file in
            if let bytes = file.bytes { return (compareBinary(file.path, bytes, recorded: recorded[file.path]), .data(bytes)) }
            let contents = file.contents
            guard let existing = read(file.path) else { return (.create(file.path), .text(contents)) }
            if existing == contents { return (nil, .text(contents)) }
            switch GeneratedFile.provenance(of: existing) {
            case .foreign: return (.foreign(file.path), .text(contents))
            case .editedByHand: return (.editedByHand(file.path), .text(contents))
            case .generated: return (.update(file.path), .text(contents))
            }
        }
        let compared = Parallel.map(files, compareOne)
        var changes: [Change] = []
        var contents: [String: FileBatch.Contents] = [:]
        for (file, result) in zip(files, compared) {
            guard let change = result.change else { continue }
            changes.append(change)
            contents[file.path] = contents[file.path] ?? result.contents
        }
        let wanted = Set(files.map(\.path)).union(keeping)
        for path in onDisk where !wanted.contains(path) {
            switch GeneratedFile.provenance(of: read(path) ?? "") {
            case .editedByHand: changes.append(.editedByHand(path))
            default: changes.append(.remove(path))
            }
        }
        for (path, checksum) in recorded where !wanted.contains(path) && !onDisk.contains(path) {
            guard let existing = FileManager.default.contents(atPath: root.appendingPathComponent(path).path) else { continue }
            changes.append(Checksum.hex(of: existing) == checksum ? .remove(path) : .editedByHand(path))
        }
        return (changes.sorted { $0.path < $1.path }, contents)
    }

    /// How a binary file on disk differs from `bytes`; its checksum list
    /// (`recorded`) tells whether the generator wrote it.
    private func compareBinary(_ path: String, _ bytes: Data, recorded: String?) -> Change? {
        guard let existing = FileManager.default.contents(atPath: root.appendingPathComponent(path).path) else { return .create(path) }
        if existing == bytes { return nil }
        switch recorded {
        case nil: return .foreign(path)
        case Checksum.hex(of: existing): return .update(path)
        default: return .editedByHand(path)
        }
    }

    /// The checksums of binary files, from the checksum lists among the
    /// generated files on disk, by path.
    private func recordedChecksums(among generated: [String]) -> [String: String] {
        var checksums: [String: String] = [:]
        for path in generated where path.split(separator: "/").last.map(String.init) == ChecksumList.name {
            checksums.merge(ChecksumList.entries(at: path, contents: read(path) ?? ""), uniquingKeysWith: { first, _ in first })
        }
        return checksums
    }

    /// Brings the disk in line with `files`. Nothing is written when a
    /// generated file was edited by hand (unless `force`): the error names
    /// each such file. All files change together (see `FileBatch`).
    @discardableResult
    public func write(_ files: [GeneratedFile], keeping: Set<String> = [], force: Bool = false) throws -> [Change] {
        var batch = FileBatch()
        let changes = try stage(files, force: force, keeping: keeping, into: &batch)
        try batch.commit()
        return changes
    }

    /// Adds to `batch` what `write` would do; throws, adding nothing, on a
    /// conflict. `accepting` names hand-edited files that may be
    /// overwritten anyway (`book sync` moved their edits into the chapters).
    public func stage(
        _ files: [GeneratedFile], force: Bool = false, accepting: Set<String> = [], keeping: Set<String> = [], into batch: inout FileBatch
    ) throws -> [Change] {
        let (found, contents) = compare(files, keeping: keeping)
        let changes = found.map { change -> Change in
            guard change.isConflict, accepting.contains(change.path) else { return change }
            return .update(change.path)
        }
        let byPath = Dictionary(files.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let conflicts = changes.filter { $0.isConflict && !accepting.contains($0.path) }
        if !force, !conflicts.isEmpty {
            throw DiagnosticError(conflicts.map { change in
                .error(
                    "\(change.reason); refusing to overwrite it",
                    at: SourceLocation(file: change.path, line: 1),
                    notes: [.note(advice(for: change, generated: byPath[change.path] != nil), at: nil)]
                )
            })
        }
        for change in changes {
            let url = root.appendingPathComponent(change.path)
            if let written = contents[change.path] {
                batch.write(written, to: url)
            } else {
                batch.remove(url)
            }
        }
        return changes
    }

    /// What to do about a conflict, for the note under the error.
    private func advice(for change: Change, generated: Bool) -> String {
        let verb = change.path.hasPrefix("site/") ? "weave" : "tangle"
        switch change {
        case .foreign:
            return "move the file away, or run `book \(verb) --force` to overwrite it"
        case .editedByHand where verb == "tangle" && generated:
            return "run `book sync` to move the edit into the chapter that generates it (its header names the chapters), "
                + "or `book tangle --force` to discard it"
        case .editedByHand where !generated:
            return "no chapter generates it any more: delete it, or run `book \(verb) --force` to remove it"
        default:
            return "run `book \(verb) --force` to discard the edit"
        }
    }

    private func read(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: root.appendingPathComponent(path).path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Paths (relative to `root`) of files under the managed folders whose
    /// header says the generator wrote them.
    func generatedFilesOnDisk() -> [String] {
        var found: [String] = []
        let manager = FileManager.default
        for folder in managedFolders {
            let base = root.appendingPathComponent(folder)
            guard let enumerator = manager.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]) else { continue }
            for case let url as URL in enumerator {
                guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true,
                      let head = Self.header(of: url), GeneratedFileHeader(parsing: head[...]) != nil
                else { continue }
                let relative = url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1)
                found.append(String(relative))
            }
        }
        return found
    }

    /// The start of the file at `url`, as far as a header would reach: its
    /// first two lines. The first names every chapter the file comes from
    /// and can be long, but not longer than `headerLimit`.
    private static func header(of url: URL) -> String? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        var head = Data()
        var lines = 0
        while lines < GeneratedFileHeader.lineCount, head.count < headerLimit,
              let more = try? handle.read(upToCount: 512), !more.isEmpty {
            head += more
            lines += more.count { $0 == UInt8(ascii: "\n") }
        }
        return String(decoding: head, as: UTF8.self)
    }

    private static let headerLimit = 1 << 16
}

/// Writes a file by writing a temporary file beside it and renaming it over
/// the old one, so readers see the old or the new file, never half of one.
public enum AtomicFile {
    public static func write(_ text: String, to url: URL) throws {
        let manager = FileManager.default
        try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        try Data(text.utf8).write(to: temporary)
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? manager.removeItem(at: temporary)
            throw DiagnosticError([.error("cannot write \(url.path): \(reason)", at: nil)])
        }
    }
}
