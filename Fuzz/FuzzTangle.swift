// A libFuzzer target over the generator's whole path: bytes -> chapters
// (UTF-8 check, CRLF normalisation) -> libcmark -> lint -> chunk graph ->
// tangle (with line origins) -> diagnostics, and `book sync`'s planner on
// the unedited files and on an edit of the first one. The checks live in
// Sources/BookKit/Fuzz/FuzzChecks.swift, so the unit tests replay every
// input kept in Fuzz/regressions. Fuzz/run builds this file together with
// the BookKit sources as one module.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let problems = FuzzChecks.run(Array(UnsafeBufferPointer(start: data, count: size)))
    if let problem = problems.first { fatalError(problem) }  // how libFuzzer learns of a failure
    return 0
}
