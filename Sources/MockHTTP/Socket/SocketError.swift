import Glibc

/// A failed system call on a socket: which call, and the `errno` it left, read at once.
public struct SocketError: Error, CustomStringConvertible, Sendable {
    /// The system call that failed, e.g. `"bind"`.
    public var call: String
    /// The `errno` value it set.
    public var code: Int32

    public init(call: String, code: Int32) {
        self.call = call
        self.code = code
    }

    public var description: String {
        "\(call) failed: \(String(cString: strerror(code))) (errno \(code))"
    }
}

/// Runs a system call that returns -1 on failure, retrying on `EINTR` and turning any other failure
/// into a `SocketError` carrying the errno read straight after the call.
@discardableResult
func systemCall<Result: BinaryInteger>(_ name: String, _ body: () -> Result) throws(SocketError) -> Result {
    while true {
        let result = body()
        if result != -1 { return result }
        let code = errno
        if code == EINTR { continue }
        throw SocketError(call: name, code: code)
    }
}

/// `close(2)` under a name that does not clash with the `close()` methods of the socket types.
func closeDescriptor(_ descriptor: Int32) -> Int32 {
    close(descriptor)
}
