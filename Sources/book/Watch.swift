import ArgumentParser
import BookKit
import Foundation

struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tangle and weave again whenever a chapter changes (Ctrl-C stops).",
        discussion: """
            Polls the chapters (and README.md) for changes; once they have been quiet for \
            --debounce milliseconds, runs `book tangle` and `book weave` and prints what \
            changed. Errors in the chapters are printed and the previous files are kept.
            """
    )

    @OptionGroup var options: BookOptions

    @Option(help: "Milliseconds without further changes before a run.")
    var debounce = 200

    @Option(help: "Milliseconds between two looks at the chapters.")
    var interval = 50

    func run() throws {
        let root = try options.loadBook().root
        // Ctrl-C ends the loop (also when the shell started us with
        // SIGINT ignored); a batch of writes in progress completes first.
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGINT)
        sigaddset(&stopSignals, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &stopSignals, nil)  // a parent may have blocked them
        signal(SIGINT) { _ in
            let line = "\nbook watch: stopped\n"
            _ = line.withCString { write(1, $0, strlen($0)) }
            _exit(0)
        }
        var watcher = ChapterWatcher(root: root)
        rebuild(root, because: [])
        say("watching \(root.appendingPathComponent("chapters").path) (Ctrl-C stops)")
        var pending: [String] = []
        var quietSince = Date()
        while true {
            usleep(useconds_t(max(interval, 10) * 1000))
            let changed = watcher.changedPaths()
            if !changed.isEmpty {
                pending = Array(Set(pending + changed)).sorted()
                quietSince = Date()
                continue
            }
            if !pending.isEmpty, Date().timeIntervalSince(quietSince) * 1000 >= Double(debounce) {
                rebuild(root, because: pending)
                pending = []
            }
        }
    }

    /// One tangle and weave; reports instead of throwing.
    private func rebuild(_ root: URL, because changed: [String]) {
        if !changed.isEmpty { say("changed: \(changed.joined(separator: ", "))") }
        let started = Date()
        do {
            let book = try Book.load(root: root)
            let (changes, warnings) = try CodeState(book: book).tangle()
            report(warnings)
            let woven = try book.weaveToDisk()
            for change in changes + woven { say("  \(change)") }
            let milliseconds = Int(Date().timeIntervalSince(started) * 1000)
            say("tangled \(changes.count) and wove \(woven.count) file(s) in \(milliseconds) ms")
        } catch let error as DiagnosticError {
            report(error.diagnostics)
            say("not tangled: fix the errors above (the files on disk are unchanged)")
        } catch {
            say("book: \(error)")
        }
    }
}
