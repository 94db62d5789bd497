/// The cross-reference data of the woven book: every code block that is
/// code (file= or chunk=), the anchor it gets on its page, and for each
/// target the blocks that define, append to and replace it, and the blocks
/// that use it.
struct ChunkIndex {
    /// One code block on the site.
    struct Place: Hashable, Sendable {
        var key: BlockKey
        var page: String
        var chapterNumber: Int
        var anchor: String
        var mode: ChunkMode
        var target: ChunkTarget
        /// The noweb-style label: chapter number and a letter per chunk
        /// block of the chapter ("1a", "1b", ..., "2c").
        var label: String

        var href: String { "\(page)#\(anchor)" }
    }

    /// A code block of a chapter with its parsed attributes.
    struct Block: Sendable {
        var block: CodeBlock
        var attributes: ChunkAttributes
        /// The block's `<<references>>`.
        var references: [Reference]
        /// Set for code that is tangled (file= or chunk=).
        var place: Place?

        var key: BlockKey { block.key }
    }

    private(set) var blocks: [BlockKey: Block] = [:]
    /// The blocks of each chapter (by path), in order.
    private(set) var blocksByChapter: [String: [Block]] = [:]
    /// Every block of each target, in book order.
    private(set) var pieces: [ChunkTarget: [Place]] = [:]
    /// The blocks that include each named chunk with `<<name>>`.
    private(set) var uses: [String: [Place]] = [:]
    /// File targets in the order the book first defines them.
    private(set) var files: [String] = []
    /// `files(containing:)` of every target of a block.
    private var containing: [ChunkTarget: [String]] = [:]
    /// `fileChanges(in:)` of every chapter.
    private var changesByChapter: [String: (created: [String], changed: [String])] = [:]

    /// The code blocks of `pages`, from their chapters as parsed
    /// (`parsed[i]` is `pages[i]`'s chapter); attribute errors are left to
    /// the graph.
    init(pages: [ChapterPage], parsed: [ParsedChapter]) {
        // Each page's places are worked out on every core; then the
        // book-wide tables are filled in book order.
        let read = Parallel.map(Array(zip(pages, parsed))) { page, chapter in Self.read(page, chapter) }
        blocks.reserveCapacity(read.reduce(0) { $0 + $1.count })
        var referencesByTarget: [ChunkTarget: [String]] = [:]
        for (page, list) in zip(pages, read) {
            for woven in list {
                if let place = woven.place {
                    if case .file(let path) = place.target, pieces[place.target] == nil { files.append(path) }
                    pieces[place.target, default: []].append(place)
                    for reference in woven.references { uses[reference.name, default: []].append(place) }
                    referencesByTarget[place.target, default: []] += woven.references.map(\.name)
                }
                blocks[woven.key] = woven
            }
            blocksByChapter[page.chapter.path] = list
        }
        containing = Self.containing(files: files, pieces: pieces, references: referencesByTarget)
        for page in pages { changesByChapter[page.chapter.path] = findFileChanges(in: page.chapter.path) }
    }

    /// The code blocks of one page with their places (anchors and labels
    /// are the page's own).
    private static func read(_ page: ChapterPage, _ chapter: ParsedChapter) -> [Block] {
        var anchors = AnchorSet()
        var list: [Block] = []
        var counter = 0
        for parsed in chapter.blocks {
            guard let attributes = parsed.attributes else { continue }
            var woven = Block(block: parsed.block, attributes: attributes, references: parsed.references, place: nil)
            if let target = attributes.target {
                let base: String
                switch target {
                case .file(let path): base = "file-" + HTML.slug(path)
                case .named(let name): base = "chunk-" + HTML.slug(name)
                }
                woven.place = Place(
                    key: woven.key, page: page.fileName, chapterNumber: page.chapter.number,
                    anchor: anchors.unique(base), mode: attributes.mode, target: target,
                    label: "\(page.chapter.number)\(Self.letters(counter))")
                counter += 1
            }
            list.append(woven)
        }
        return list
    }

    /// a, b, ..., z, aa, ab, ...
    static func letters(_ index: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz")
        return index < 26 ? String(alphabet[index]) : letters(index / 26 - 1) + String(alphabet[index % 26])
    }

    /// The block a `<<name>>` in chapter `chapter` refers to: the latest
    /// definition or replacement up to that chapter (the first block when
    /// the chunk is only defined later).
    func definition(of name: String, forChapter chapter: Int) -> Place? {
        guard let all = pieces[.named(name)] else { return nil }
        return all.last { $0.mode != .append && $0.chapterNumber <= chapter } ?? all.first
    }

    /// `files(containing:)` for every target of a block: each file's
    /// chunks are followed down once (a target is in a file when the
    /// file's blocks reference it, directly or through other blocks).
    private static func containing(
        files: [String], pieces: [ChunkTarget: [Place]], references: [ChunkTarget: [String]]
    ) -> [ChunkTarget: [String]] {
        var containing = Dictionary(uniqueKeysWithValues: pieces.keys.map { ($0, [String]()) })
        for file in files {
            Reach.walk(from: [ChunkTarget.file(file)]) { target, leadsTo in
                if containing[target] != nil { containing[target]!.append(file) }
                for name in references[target] ?? [] { leadsTo(.named(name)) }
            }
        }
        return containing
    }

    /// The files a target of the book's blocks ends up in (a file is in
    /// itself), in book order.
    func files(containing target: ChunkTarget) -> [String] {
        containing[target] ?? []
    }

    /// The files chapter `chapter` (a path) creates and the files it
    /// changes, directly or through chunks they include.
    func fileChanges(in chapter: String) -> (created: [String], changed: [String]) {
        changesByChapter[chapter] ?? ([], [])
    }

    private func findFileChanges(in chapter: String) -> (created: [String], changed: [String]) {
        var touched: Set<String> = []
        for block in blocksByChapter[chapter] ?? [] {
            if let place = block.place { touched.formUnion(files(containing: place.target)) }
        }
        let created = files.filter { touched.contains($0) && pieces[.file($0)]?.first?.key.chapter == chapter }
        let changed = files.filter { touched.contains($0) && !created.contains($0) }
        return (created, changed)
    }
}
