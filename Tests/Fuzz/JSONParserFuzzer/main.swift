// libFuzzer entry point for `JSONParser`. Built by `scripts/fuzz.sh` (see Tests/Fuzz/README.md) together with
// Tests/GatewayMockTests/Support/JSONParserInvariants.swift, the checks the regression tests run too,
// against a GatewayMock module compiled from Sources/GatewayMock/JSON/*.swift (which imports the MockHTTP
// module compiled from Sources/MockHTTP/HTTP/*.swift, for `JSONString`).

@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let violations = jsonParserInvariantViolations(Array(UnsafeRawBufferPointer(start: start, count: count)))
    if !violations.isEmpty {
        fatalError("invariant violated: \(violations.joined(separator: "; "))")
    }
    return 0
}
