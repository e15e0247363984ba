// libFuzzer entry point for `HTTPRequestParser`. Built by `scripts/fuzz.sh` (see Tests/Fuzz/README.md) together
// with Tests/MockHTTPTests/Support/HTTPParserInvariants.swift, the checks the regression tests run too,
// against the MockHTTP module compiled from Sources/MockHTTP/HTTP/*.swift (public API only, as the server).

@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let violations = httpParserInvariantViolations(Array(UnsafeRawBufferPointer(start: start, count: count)))
    if !violations.isEmpty {
        fatalError("invariant violated: \(violations.joined(separator: "; "))")
    }
    return 0
}
