import ArgumentParser
import BookKit
import Foundation

struct Weave: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the book as a website into site/ (opens from file://, works offline).",
        discussion: """
            Pages are written atomically and only when their content changes. A page that was \
            edited by hand is never overwritten: pass --force to discard the edit.
            """
    )

    @OptionGroup var options: BookOptions

    @Flag(help: "Overwrite woven files even when they were edited by hand.")
    var force = false

    func run() throws {
        let book = try options.loadBook()
        let changes = try book.weaveToDisk(force: force)
        for change in changes { print(change) }
        let index = book.root.appendingPathComponent("site/index.html")
        print("wove into \(index.path): \(changes.count) file(s) changed")
    }
}
