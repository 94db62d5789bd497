/// A place in a chapter: 1-based line and column, like a compiler's.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int = 1) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// One problem found in the book, printed the way compilers print them so
/// editors can jump to it: `chapters/03-long-mode.md:120:5: error: ...`.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable {
        case error, warning, note
    }

    public var severity: Severity
    public var location: SourceLocation?
    public var message: String
    /// Related places, printed as `note:` lines after the main message.
    public var notes: [Diagnostic]

    public init(_ severity: Severity, _ message: String, at location: SourceLocation?, notes: [Diagnostic] = []) {
        self.severity = severity
        self.message = message
        self.location = location
        self.notes = notes
    }

    public static func error(_ message: String, at location: SourceLocation?, notes: [Diagnostic] = []) -> Diagnostic {
        Diagnostic(.error, message, at: location, notes: notes)
    }

    public static func warning(_ message: String, at location: SourceLocation?, notes: [Diagnostic] = []) -> Diagnostic {
        Diagnostic(.warning, message, at: location, notes: notes)
    }

    public static func note(_ message: String, at location: SourceLocation?) -> Diagnostic {
        Diagnostic(.note, message, at: location)
    }

    public var description: String {
        var text = location.map { "\($0): " } ?? ""
        text += "\(severity.rawValue): \(message)"
        for note in notes { text += "\n\(note)" }
        return text
    }
}

/// Thrown when a run found errors; carries every diagnostic of the run,
/// warnings included, so that all problems are reported at once.
public struct DiagnosticError: Error, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}

/// Collects diagnostics during a run.
struct DiagnosticLog {
    private(set) var all: [Diagnostic] = []
    /// Where errors were reported, so that asking costs no scan of `all`.
    private var errorLocations: Set<SourceLocation> = []
    private(set) var hasErrors = false

    mutating func report(_ diagnostic: Diagnostic) {
        all.append(diagnostic)
        guard diagnostic.severity == .error else { return }
        hasErrors = true
        if let location = diagnostic.location { errorLocations.insert(location) }
    }

    mutating func report(contentsOf diagnostics: [Diagnostic]) {
        for diagnostic in diagnostics { report(diagnostic) }
    }

    /// Whether an error was reported at exactly `location`.
    func hasError(at location: SourceLocation) -> Bool {
        errorLocations.contains(location)
    }

    /// Adds a note to the diagnostic reported as number `index` (a related
    /// place found later in the run).
    mutating func addNote(_ note: Diagnostic, toDiagnostic index: Int) {
        all[index].notes.append(note)
    }

    /// Throws every collected diagnostic when any of them is an error.
    func throwIfErrors() throws {
        if hasErrors { throw DiagnosticError(all) }
    }
}

/// A single diagnostic can be thrown or carried in a `Result`.
extension Diagnostic: Error {}
