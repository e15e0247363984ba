import MockHTTP

extension QueryParameters {
    /// The one value of a parameter that may be spelled several ways (`page_size` or `pageSize`).
    ///
    /// Values in `absentValues` (always including the empty string) count as not given. A parameter given
    /// more than once is accepted only if every given value is the same.
    func singleValue(of names: [String], treatingAsAbsent absentValues: Set<String> = []) throws(VendorError) -> String?
    {
        let given = names.flatMap { values(for: $0) }.filter { !$0.isEmpty && !absentValues.contains($0) }
        guard let first = given.first else { return nil }
        if let other = given.first(where: { $0 != first }) {
            throw .badRequest(
                ParameterProblem(
                    parameter: names[0], value: other,
                    reason:
                        "is given more than once with different values (\(JSONString.quoted(first)) and \(JSONString.quoted(other)))"
                ))
        }
        return first
    }

    /// An integer parameter in `range`, written as plain decimal digits (no sign, point or exponent).
    func integer(
        _ names: [String], in range: ClosedRange<Int>, default defaultValue: Int, requirement: String,
        treatingAsAbsent absentValues: Set<String> = []
    ) throws(VendorError) -> Int {
        guard let text = try singleValue(of: names, treatingAsAbsent: absentValues) else { return defaultValue }
        guard text.utf8.count <= 18, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let value = Int(text),
            range.contains(value)
        else {
            throw .badRequest(ParameterProblem(parameter: names[0], value: text, reason: requirement))
        }
        return value
    }
}
