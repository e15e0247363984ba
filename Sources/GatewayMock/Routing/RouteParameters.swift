/// The values a matched path pattern captured, by parameter name (Hummingbird's `Parameters`).
struct RouteParameters: Sendable {
    var values: [(name: String, value: String)] = []

    /// The decoded value of `{name}`; nil when the pattern has no such parameter.
    subscript(name: String) -> String? {
        values.first { $0.name == name }?.value
    }
}
