import Foundation

/// Notices when a chapter, a picture in chapters/images/ or the README the
/// landing page quotes changes, by modification time and size.
public struct ChapterWatcher {
    public let root: URL
    private var stamps: [String: String] = [:]

    public init(root: URL) {
        self.root = root
        stamps = scan()
    }

    /// True when something changed since the last call.
    public mutating func changed() -> Bool {
        !changedPaths().isEmpty
    }

    /// The files (relative to the root) that changed, appeared or went
    /// away since the last call, sorted.
    public mutating func changedPaths() -> [String] {
        let now = scan()
        defer { stamps = now }
        let prefix = root.path + "/"
        return Set(now.keys).union(stamps.keys).filter { now[$0] != stamps[$0] }
            .map { $0.hasPrefix(prefix) ? String($0.dropFirst(prefix.count)) : $0 }.sorted()
    }

    private func scan() -> [String: String] {
        var result: [String: String] = [:]
        let manager = FileManager.default
        let chapters = root.appendingPathComponent("chapters")
        let names = (try? manager.contentsOfDirectory(atPath: chapters.path)) ?? []
        // The chapters' pictures are woven too.
        let images = chapters.appendingPathComponent(ChapterImage.folder)
        let imageNames = (try? manager.contentsOfDirectory(atPath: images.path)) ?? []
        let paths = names.filter { $0.hasSuffix(".md") }.map { chapters.appendingPathComponent($0).path }
            + imageNames.filter { $0.hasSuffix(".png") }.map { images.appendingPathComponent($0).path }
            + [root.appendingPathComponent("README.md").path]
        for path in paths {
            guard let attributes = try? manager.attributesOfItem(atPath: path) else { continue }
            let date = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
            result[path] = "\(date)/\(size)"
        }
        return result
    }
}
