/// The references of an expansion that include nothing, as errors: cyclic
/// ones, and undefined ones with the defined name they were probably
/// meant to be. Each place is reported once.
struct ReferenceErrors {
    let graph: ChunkGraph
    private(set) var log = DiagnosticLog()

    init(graph: ChunkGraph) {
        self.graph = graph
    }

    /// `reference` names a chunk being expanded (`cycle`) or, when `cycle`
    /// is nil, no chunk.
    mutating func report(_ reference: Reference, of visit: PieceVisit, cycle: ArraySlice<ExpansionFrame>?) {
        let location = visit.piece.location(ofLine: reference.index, column: reference.column)
        guard !log.hasError(at: location) else { return }
        if let cycle {
            let names = (cycle.map(\.name) + [reference.name]).map { "\"\($0)\"" }
            log.report(.error(
                "cyclic reference: \(names.joined(separator: " -> "))", at: location,
                notes: cycle.dropFirst().map { .note("\"\($0.name)\" is referenced here", at: $0.location) }
            ))
        } else {
            log.report(.error(
                "undefined chunk \"\(reference.name)\"", at: location,
                notes: suggestion(for: reference.name).map { [.note("did you mean \"\($0.name)\"? It is defined here", at: $0.at)] } ?? []))
        }
    }

    /// The defined chunk whose name is closest to `name`, when it is close
    /// enough to be a typo.
    func suggestion(for name: String) -> (name: String, at: SourceLocation)? {
        var best: (name: String, at: SourceLocation, distance: Int)?
        let wanted = Array(name.lowercased())
        for chunk in graph.chunks {
            guard case .named(let other) = chunk.target else { continue }
            let distance = Self.editDistance(wanted, Array(other.lowercased()), limit: max(2, name.count / 4))
            guard let distance else { continue }
            if best == nil || (distance, other) < (best!.distance, best!.name) { best = (other, chunk.definition, distance) }
        }
        return best.map { ($0.name, $0.at) }
    }

    /// Levenshtein distance, or nil when it is above `limit`.
    static func editDistance(_ a: [Character], _ b: [Character], limit: Int) -> Int? {
        if abs(a.count - b.count) > limit { return nil }
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            if current.min()! > limit { return nil }
            previous = current
        }
        return previous[b.count] <= limit ? previous[b.count] : nil
    }
}
