/// A network-level failure answered instead of a normal response, for testing how a client copes.
public enum SimulatedFault: String, Sendable, CaseIterable, Equatable {
    /// Close the connection with a TCP reset, without a byte of response.
    case connectionReset = "connection_reset"
    /// Close the connection in order without a byte of response.
    case emptyResponse = "empty_response"
    /// A 200 whose JSON body is cut off halfway (with a matching `Content-Length`).
    case malformedJSON = "malformed_json"
}
