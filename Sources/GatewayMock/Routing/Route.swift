import MockHTTP

/// One row of a route table: a method, a path pattern and the handler that answers it.
///
/// A handler is a small function of the request and a context (the namespace, the store, the path's
/// parameters), throwing the error type of its API, which the table's owner renders in one place.
final class Route<Context, Failure: Error>: Sendable {
    typealias Handler = @Sendable (HTTPRequest, Context) throws(Failure) -> HTTPResponse

    /// The request method, as RFC 9110 spells it (`GET`, `POST`, …).
    let method: String
    let pattern: PathPattern
    /// A request that makes a good first try, for the index page's curl commands.
    let example: RouteExample?
    let handler: Handler
    /// The method and the pattern as written, `PATCH /api/v1/workspaces/{id}`: how the journal names the
    /// route that answered a request. Made once here, so recording a request only shares it.
    let name: String

    /// `HEAD` and `OPTIONS` are derived by the table, never written as rows.
    init(_ method: String, _ pattern: String, example: RouteExample? = nil, _ handler: @escaping Handler) {
        precondition(method != "HEAD" && method != "OPTIONS", "\(method) \(pattern): derived by the route table")
        self.method = method
        self.pattern = PathPattern(pattern)
        self.example = example
        self.handler = handler
        self.name = "\(method) \(pattern)"
    }
}

/// A sample request for a route: a concrete path for a pattern with parameters, a query, a JSON body.
/// A string literal is a query (`"?offset=0&limit=5"`).
struct RouteExample: Sendable, ExpressibleByStringLiteral {
    var path: String?
    var query = ""
    var body: String?

    init(stringLiteral query: String) { self.query = query }

    init(path: String?, query: String = "", body: String? = nil) {
        self.path = path
        self.query = query
        self.body = body
    }

    static func path(_ path: String, query: String = "", body: String? = nil) -> RouteExample {
        RouteExample(path: path, query: query, body: body)
    }

    static func body(_ body: String) -> RouteExample { RouteExample(path: nil, body: body) }
}
