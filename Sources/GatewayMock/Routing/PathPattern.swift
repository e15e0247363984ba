/// A route's path: literal segments and `{name}` parameters, e.g. `/api/v1/workspaces/{id}` or
/// `/v1/admin/workspaces/{workspaceId}/users/{userId}`.
///
/// A literal matches the decoded segment exactly; a parameter matches any non-empty segment and
/// captures it decoded (so `%2F` arrives as `/` inside the value). Patterns are written in the table
/// by the project, so a malformed one (`{}`, a `{` inside a literal) stops the program at start.
struct PathPattern: Sendable, Equatable, CustomStringConvertible {
    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    let segments: [Segment]
    /// The pattern as written in the table, for the index page and logs.
    let description: String

    init(_ pattern: String) {
        precondition(pattern.hasPrefix("/"), "a path pattern starts with /: \(pattern)")
        description = pattern
        segments = pattern.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map { text in
            guard text.hasPrefix("{") else {
                precondition(!text.contains("{") && !text.contains("}"), "malformed path pattern: \(pattern)")
                return .literal(String(text))
            }
            precondition(text.hasSuffix("}") && text.count > 2, "malformed path parameter in \(pattern)")
            return .parameter(String(text.dropFirst().dropLast()))
        }
    }

    /// The captured parameters when `path` matches, nil otherwise.
    func match(_ path: RequestPath) -> RouteParameters? {
        guard path.segments.count == segments.count else { return nil }
        var parameters = RouteParameters()
        for (segment, text) in zip(segments, path.segments) {
            switch segment {
            case .literal(let literal):
                guard text == literal else { return nil }
            case .parameter(let name):
                guard !text.isEmpty else { return nil }
                parameters.values.append((name, text))
            }
        }
        return parameters
    }
}
