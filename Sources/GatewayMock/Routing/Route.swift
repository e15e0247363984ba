import MockHTTP

/// One row of a route table: a method, a path pattern and the handler that answers it.
///
/// A handler is a small function of the request and a context (the namespace, the store, the path's
/// parameters), throwing the error type of its API, which the table's owner renders in one place.
struct Route<Context, Failure: Error>: Sendable {
    typealias Handler = @Sendable (HTTPRequest, Context) throws(Failure) -> HTTPResponse

    /// The request method, as RFC 9110 spells it (`GET`, `POST`, …).
    let method: String
    let pattern: PathPattern
    /// A query string that makes a good first try (`?offset=0&limit=5`), for the index page's examples.
    let example: String?
    let handler: Handler

    /// `HEAD` and `OPTIONS` are derived by the table, never written as rows.
    init(_ method: String, _ pattern: String, example: String? = nil, _ handler: @escaping Handler) {
        precondition(method != "HEAD" && method != "OPTIONS", "\(method) \(pattern): derived by the route table")
        self.method = method
        self.pattern = PathPattern(pattern)
        self.example = example
        self.handler = handler
    }
}
