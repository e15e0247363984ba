// libFuzzer entry point for the request bodies of the write operations (the vendors' and the control
// plane's), through `GatewayRouter.respond(to:)`. Built by `scripts/fuzz.sh` (see Tests/Fuzz/README.md)
// together with Tests/GatewayMockTests/Support/RequestBodyInvariants.swift, the checks the regression tests
// run too, and HTTPRequest+Mock.swift, which builds requests as the handler tests do, against the whole
// GatewayMock and MockHTTP modules. It runs from the package root, where the store is.

/// The store each input starts from, loaded once.
let fixture: RequestBodyFuzzFixture = {
    do {
        return try RequestBodyFuzzFixture(directory: "Tests/Fuzz/bodies-store")
    } catch {
        fatalError("cannot load Tests/Fuzz/bodies-store (run from the package root): \(error)")
    }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    let violations = requestBodyInvariantViolations(bytes, fixture: fixture)
    if !violations.isEmpty {
        fatalError("invariant violated: \(violations.joined(separator: "; "))")
    }
    return 0
}
