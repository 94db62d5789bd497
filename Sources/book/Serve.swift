import ArgumentParser
import BookKit
import Foundation

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve site/ on 127.0.0.1 and weave again whenever a chapter changes.",
        discussion: "Reload the page in the browser to see an edit."
    )

    @OptionGroup var options: BookOptions

    @Option(help: "The TCP port on 127.0.0.1.")
    var port: UInt16 = 8000

    func run() throws {
        let book = try options.loadBook()
        let root = book.root
        let changes = try book.weaveToDisk()
        say("wove into \(root.appendingPathComponent("site").path): \(changes.count) file(s) changed")
        let server = SiteServer(folder: root.appendingPathComponent("site"), port: port)
        let socket = try server.listen()
        say("serving \(server.folder.path) at http://127.0.0.1:\(port)/ (Ctrl-C stops)")
        var watcher = ChapterWatcher(root: root)
        server.run(socket: socket) {
            guard watcher.changed() else { return }
            let started = Date()
            do {
                let changes = try Book.load(root: root).weaveToDisk()
                let milliseconds = Int(Date().timeIntervalSince(started) * 1000)
                say("wove again in \(milliseconds) ms: \(changes.count) file(s) changed")
            } catch let error as DiagnosticError {
                report(error.diagnostics)
            } catch {
                say("book: \(error)")
            }
        }
    }
}
