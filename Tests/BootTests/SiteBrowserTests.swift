import BookKit
import Foundation
import Testing

/// The real book woven into a fresh folder: the site as the generator
/// makes it now (`book check` separately keeps the committed site/ equal to it).
private let wovenSite: Result<URL, Chromium.Failure> = {
    do {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("book-site-\(UUID().uuidString)")
        let book = try Book.load(root: repositoryRoot)
        try OutputTree(root: root, managedFolders: OutputTree.siteFolders).write(try book.weave())
        return .success(root.appendingPathComponent("site"))
    } catch {
        return .failure(Chromium.Failure(description: "cannot weave the book: \(error)"))
    }
}()

/// The page of the chapter numbered `number`: `chapters/03-long-mode.md` → `03-long-mode.html`.
private func chapterPage(_ number: Int, in site: URL) throws -> URL {
    let book = try Book.load(root: repositoryRoot)
    let chapter = try #require(book.chapters.first { $0.number == number }, "no chapter \(number)")
    let name = chapter.path.split(separator: "/").last!.dropLast(".md".count)
    return site.appendingPathComponent("\(name).html")
}

/// The woven site in headless Chromium, opened from file:// as a reader
/// opens it: scripts run without errors, search and chunk references
/// work, and screenshots show chapter 1 in both themes at desktop and
/// phone widths (written to build/screenshots/ for people to look at).
@Suite(.serialized, .timeLimit(.minutes(2)))
struct SiteBrowserTests {
    @Test func everyPageLoadsWithoutConsoleErrors() throws {
        let site = try wovenSite.get()
        let browser = try Chromium()
        defer { browser.stop() }

        // First make sure the browser would tell: a page with three mistakes.
        let broken = site.deletingLastPathComponent().appendingPathComponent("broken.html")
        try """
            <!doctype html><title>broken</title>
            <script>console.error("on purpose")</script>
            <script src="no-such-script.js"></script>
            <script>noSuchFunction()</script>
            """.write(to: broken, atomically: true, encoding: .utf8)
        try browser.open(broken)
        let caught = browser.errors.map(\.message).joined(separator: "\n")
        #expect(caught.contains("console.error: on purpose"), "\(caught)")
        #expect(caught.contains("noSuchFunction is not defined"), "\(caught)")
        #expect(caught.contains("no-such-script.js"), "\(caught)")
        let known = browser.errors.count

        var pages: [URL] = []
        let enumerator = FileManager.default.enumerator(at: site, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            if url.pathExtension == "html" { pages.append(url) }
        }
        pages.sort { $0.path < $1.path }
        #expect(pages.count >= 5)
        for page in pages {
            try browser.open(page)
            // book.js ran to its end and search-index.js loaded.
            let ready = try browser.evaluate(
                "document.documentElement.classList.contains('js') && (window.BOOK_SEARCH || []).length > 0 && !!document.querySelector('.theme')")
            #expect(ready as? Bool == true, "\(page.lastPathComponent): scripts did not run")
        }
        let errors = browser.errors.dropFirst(known)
        #expect(errors.isEmpty, "\(errors.map(\.description).joined(separator: "\n"))")
    }

    @Test func searchFindsAKnownTerm() throws {
        let site = try wovenSite.get()
        let longMode = try chapterPage(3, in: site).lastPathComponent
        let browser = try Chromium()
        defer { browser.stop() }
        let links = "Array.from(document.querySelectorAll('#search-results a')).map(function (a) { return a.getAttribute('href') })"

        // index.html?q=… opens with the search done.
        try browser.open(URL(string: site.appendingPathComponent("index.html").absoluteString + "?q=EFER")!)
        #expect(try browser.evaluate("document.getElementById('search-results').hidden") as? Bool == false)
        let found = try #require(try browser.evaluate(links) as? [String])
        #expect(found.contains { $0.hasPrefix(longMode + "#") }, "results for EFER: \(found)")

        // From a page two folders down, results link back up to the chapter.
        let filePage = site.appendingPathComponent("files/asm/entry32.S.html")
        try browser.open(URL(string: filePage.absoluteString + "?q=long%20mode")!)
        let nested = try #require(try browser.evaluate(links) as? [String])
        #expect(nested.contains { $0.hasPrefix("../../" + longMode) }, "results for long mode: \(nested)")

        try browser.open(URL(string: site.appendingPathComponent("index.html").absoluteString + "?q=qqqzzzxxx")!)
        let none = try browser.evaluate("document.querySelector('#search-results .none').textContent") as? String
        #expect(none?.hasPrefix("Nothing found") == true)
        #expect(browser.errors.isEmpty, "\(browser.errors.map(\.description).joined(separator: "\n"))")
    }

    @Test func chunkReferencesJumpToTheirDefinitions() throws {
        let site = try wovenSite.get()
        let browser = try Chromium()
        defer { browser.stop() }
        let book = try Book.load(root: repositoryRoot)
        var targets: [String] = []
        for chapter in book.chapters {
            try browser.open(try chapterPage(chapter.number, in: site))
            let hrefs = try #require(try browser.evaluate("Array.from(document.querySelectorAll('a.ref')).map(function (a) { return a.href })") as? [String])
            for href in hrefs where !targets.contains(href) { targets.append(href) }
        }
        #expect(targets.count >= 5, "only \(targets.count) chunk references in the book")

        // Follow each: the anchor exists after the scripts ran, is the
        // :target, is a chunk, and the browser scrolled it into view.
        let check = """
            (function () {
              var id = decodeURIComponent(location.hash.slice(1));
              var element = document.getElementById(id);
              if (!element) { return "no element with id " + id; }
              if (document.querySelector(":target") !== element) { return "#" + id + " is not the :target"; }
              if (!element.matches("figure.chunk")) { return "#" + id + " is a " + element.tagName + "." + element.className; }
              var top = element.getBoundingClientRect().top;
              if (top < 0 || top > innerHeight - 20) { return "#" + id + " is not in view (top " + top + ")"; }
              return "ok";
            })()
            """
        for target in targets {
            let url = try #require(URL(string: target))
            try browser.open(URL(string: "about:blank")!)  // a real navigation each time, also within one page
            try browser.open(url)
            let verdict = try browser.evaluate(check) as? String
            #expect(verdict == "ok", "\(target): \(verdict ?? "nil")")
        }
        #expect(browser.errors.isEmpty, "\(browser.errors.map(\.description).joined(separator: "\n"))")
    }

    @Test func screenshotsOfChapterOneInBothThemesAtTwoWidths() throws {
        let site = try wovenSite.get()
        let folder = repositoryRoot.appendingPathComponent("build/screenshots")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let browser = try Chromium()
        defer { browser.stop() }
        let chapterOne = try chapterPage(1, in: site)
        let chapterTwo = try chapterPage(2, in: site)

        func shoot(_ name: String) throws {
            let png = try browser.screenshot()
            let file = folder.appendingPathComponent(name)
            try png.write(to: file)
            let size = (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(name) is not a PNG")
            #expect(size > 10_000, "\(name) is only \(size) bytes")
        }

        for (width, height) in [(1280, 900), (390, 844)] {
            for dark in [false, true] {
                let theme = dark ? "dark" : "light"
                try browser.emulate(width: width, height: height, dark: dark)
                try browser.open(chapterOne)
                let background = try browser.evaluate("getComputedStyle(document.body).backgroundColor") as? String
                #expect(background == (dark ? "rgb(22, 24, 28)" : "rgb(253, 253, 251)"), "\(theme) at \(width) px: \(background ?? "nil")")
                let fits = try browser.evaluate("document.documentElement.scrollWidth <= innerWidth") as? Bool
                #expect(fits == true, "chapter 1 scrolls sideways at \(width) px")
                try shoot("chapter-01-\(width)-\(theme).png")
            }
        }
        // "What changed in this chapter", every file opened.
        for (width, height, dark) in [(1280, 900, false), (1280, 900, true), (390, 844, true)] {
            try browser.emulate(width: width, height: height, dark: dark)
            try browser.open(chapterTwo)
            try browser.evaluate("""
                document.querySelectorAll('details.file-diff').forEach(function (d) { d.open = true; });
                document.getElementById('what-changed-in-this-chapter').scrollIntoView()
                """)
            let fits = try browser.evaluate("document.documentElement.scrollWidth <= innerWidth") as? Bool
            #expect(fits == true, "chapter 2 with its diffs open scrolls sideways at \(width) px")
            try shoot("chapter-02-changes-\(width)-\(dark ? "dark" : "light").png")
        }
        #expect(browser.errors.isEmpty, "\(browser.errors.map(\.description).joined(separator: "\n"))")
    }
}
