import MockHTTP

/// The `path` matcher of a fault rule: a pattern over a request's decoded path segments (`RequestPath`),
/// so that a test can make one operation fail and leave the others alone.
///
/// Written like a path: a literal segment matches the same decoded segment, `*` matches exactly one
/// non-empty segment (as a route's `{id}` does, so `{name}` is accepted as a synonym and a route pattern
/// from the journal can be pasted), and `**` as the last segment matches any rest, zero segments included.
/// `/api/v1/workspaces/*` matches `/api/v1/workspaces/abc` but neither `/api/v1/workspaces` nor
/// `/api/v1/workspaces/abc/members`; `/api/v1/workspaces/**` matches all three. Literal segments are
/// percent-decoded like the request's (`%2A` is a literal `*`, `%2F` a slash inside a segment). The query
/// is never matched, so a pattern may not contain `?`.
public struct PathGlob: Sendable, Equatable, CustomStringConvertible {
    enum Segment: Sendable, Equatable {
        case literal(String)
        /// `*` or `{name}`: one non-empty segment.
        case any
    }

    let segments: [Segment]
    /// Whether the pattern ends in `**`: any rest matches after `segments`.
    let matchesRest: Bool
    /// The pattern as written, which `GET /__admin/faults` shows and which parses again to the same glob.
    public let description: String

    /// Why a pattern cannot be used, as a sentence naming the `path` field.
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    public init(_ pattern: String) throws(Invalid) {
        guard pattern.hasPrefix("/") else {
            throw Invalid(description: "path must start with / (got \(JSONString.quoted(pattern)))")
        }
        guard !pattern.contains("?") else {
            throw Invalid(description: "path must not contain ?: the query is not matched")
        }
        let texts = pattern.utf8.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        var segments: [Segment] = []
        var matchesRest = false
        for (index, text) in texts.enumerated() {
            let isBraced = text.first == UInt8(ascii: "{") && text.last == UInt8(ascii: "}") && text.count > 2
            if text.elementsEqual("**".utf8) {
                guard index == texts.count - 1 else {
                    throw Invalid(description: "path may have ** only as its last segment")
                }
                matchesRest = true
            } else if text.elementsEqual("*".utf8) || isBraced {
                segments.append(.any)
            } else if text.contains(where: {
                $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "}")
            }) {
                throw Invalid(
                    description:
                        "path segment \(JSONString.quoted(String(decoding: text, as: UTF8.self))) mixes * or braces with text: * and ** stand for whole segments (write %2A for a literal *)"
                )
            } else {
                segments.append(.literal(PercentDecoding.decode(text, plusAsSpace: false)))
            }
        }
        self.segments = segments
        self.matchesRest = matchesRest
        self.description = pattern
    }

    /// Whether `path` matches: segment by segment, then nothing left over unless the pattern ends in `**`.
    func matches(_ path: RequestPath) -> Bool {
        let count = path.segments.count
        guard matchesRest ? count >= segments.count : count == segments.count else { return false }
        for (segment, text) in zip(segments, path.segments) {
            switch segment {
            case .literal(let literal):
                guard text == literal else { return false }
            case .any:
                guard !text.isEmpty else { return false }
            }
        }
        return true
    }
}
