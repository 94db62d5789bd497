import Foundation

/// A picture a chapter shows, `![alt](images/NAME.png)`: a PNG file in
/// chapters/images/, copied byte for byte into site/images/. The chapter
/// pages sit directly in site/, so the path the chapter writes is also the
/// `src` of the page's `<img>`.
struct ChapterImage: Sendable {
    static let folder = "images"

    /// The path under chapters/ and under site/: `images/NAME.png`.
    let path: String
    let bytes: Data
    /// From the PNG's IHDR chunk: the browser keeps the space for the
    /// picture before it has loaded, so the page does not jump.
    let width: UInt32
    let height: UInt32

    /// Reads the image a chapter names with `url` (relative to
    /// `chaptersFolder`), or says why it cannot be shown.
    static func load(_ url: String, chaptersFolder: URL) -> Result<ChapterImage, Diagnostic> {
        if let problem = problem(with: url) { return .failure(.error(problem, at: nil)) }
        guard let bytes = FileManager.default.contents(atPath: chaptersFolder.appendingPathComponent(url).path) else {
            return .failure(.error("image '\(url)' not found: there is no file chapters/\(url)", at: nil))
        }
        guard let (width, height) = pngSize(bytes) else {
            return .failure(.error("image '\(url)' is not a PNG file: chapters/\(url) has no PNG signature and IHDR chunk", at: nil))
        }
        return .success(ChapterImage(path: url, bytes: bytes, width: width, height: height))
    }

    /// Why `url` cannot name a picture of the book, or nil when it can.
    /// The book works offline, so every picture is one of its files.
    static func problem(with url: String) -> String? {
        if let colon = url.firstIndex(of: ":"), url[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || "+.-".contains($0) }) {
            return "image '\(url)' is a URL; the book works offline: put the picture in chapters/\(folder)/ and write its path"
        }
        if url.hasPrefix("/") { return "image path '\(url)' is absolute; write it relative to chapters/" }
        let components = url.split(separator: "/", omittingEmptySubsequences: false)
        if components.contains("..") { return "image path '\(url)' leaves chapters/" }
        if components.contains(where: { $0.isEmpty || $0 == "." }) { return "image path '\(url)' is not in normal form" }
        if components.count < 2 || components[0] != folder { return "image '\(url)' is not in chapters/\(folder)/" }
        if !url.hasSuffix(".png") { return "image '\(url)' is not a .png file; the book shows PNG pictures only" }
        return nil
    }

    /// Width and height from the IHDR chunk, which a PNG file must start
    /// with right after its signature.
    static func pngSize(_ bytes: Data) -> (UInt32, UInt32)? {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        let header = [UInt8](bytes.prefix(24))
        guard header.count == 24, Array(header[0..<8]) == signature, Array(header[12..<16]) == Array("IHDR".utf8) else { return nil }
        func bigEndian(_ offset: Int) -> UInt32 { header[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) } }
        return (bigEndian(16), bigEndian(20))
    }

    func html(alt: String, title: String) -> String {
        let titleAttribute = title.isEmpty ? "" : " title=\"\(HTML.escape(title))\""
        return "<img src=\"\(HTML.escape(path))\" alt=\"\(HTML.escape(alt))\" width=\"\(width)\" height=\"\(height)\"\(titleAttribute)>"
    }
}

extension ChapterImage {
    /// The chapters' picture files behind the pictures among the woven
    /// `files`, sorted: inputs of the weave, like the chapters.
    static func sources(of files: [GeneratedFile]) -> [String] {
        files.filter { $0.bytes != nil }.map { "chapters/" + $0.path.dropFirst("\(SiteRenderer.folder)/".count) }.sorted()
    }
}
