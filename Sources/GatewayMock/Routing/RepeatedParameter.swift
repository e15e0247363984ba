import MockHTTP

/// A single-valued query parameter that a request gives more than once with different values, in one
/// spelling or several (`pageSize=10&page_size=20`). Which value the client meant cannot be known, so the
/// request is refused, with a message naming every occurrence as the client wrote it, in request order,
/// and how to fix the request.
///
/// For example: `status is repeated with different values (status="active", then status="archived"):
/// send one comma-separated list: status=active,archived` and `pageSize and page_size are one parameter,
/// given different values (pageSize="10", then page_size="20"): send one of them, once`.
public struct RepeatedParameter: Error, Sendable, Equatable {
    /// One occurrence of the parameter: the spelling used and its decoded value.
    public struct Occurrence: Sendable, Equatable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Every occurrence with a value, in request order (at least two, with at least two different values).
    public var occurrences: [Occurrence]
    /// The parameter takes a comma-separated list (Portkey's `status`): then the fix is one list.
    public var takesList: Bool

    public init(occurrences: [Occurrence], takesList: Bool) {
        self.occurrences = occurrences
        self.takesList = takesList
    }

    /// The spellings used, each once, in the order of their first occurrence.
    public var spellings: [String] {
        occurrences.reduce(into: []) { names, occurrence in
            if !names.contains(occurrence.name) { names.append(occurrence.name) }
        }
    }

    /// The first value that differs from the first one: the value refused.
    public var conflictingValue: String {
        occurrences.first { $0.value != occurrences[0].value }?.value ?? occurrences[0].value
    }

    /// One sentence: what was sent, then how to fix it.
    public var message: String {
        let spellings = spellings
        let given = occurrences.map { "\($0.name)=\(JSONString.quoted($0.value))" }.joined(separator: ", then ")
        let problem =
            spellings.count == 1
            ? "\(spellings[0]) is repeated with different values (\(given))"
            : "\(spellings.joined(separator: " and ")) are one parameter, given different values (\(given))"
        let fix: String
        if takesList {
            var items: [String] = []
            for occurrence in occurrences {
                for item in occurrence.value.split(separator: ",") {
                    let item = String(item.trimmingASCIIWhitespace())
                    if !item.isEmpty, !items.contains(item) { items.append(item) }
                }
            }
            fix = "send one comma-separated list: \(spellings[0])=\(items.joined(separator: ","))"
        } else {
            fix = spellings.count == 1 ? "send it once" : "send one of them, once"
        }
        return "\(problem): \(fix)"
    }
}
