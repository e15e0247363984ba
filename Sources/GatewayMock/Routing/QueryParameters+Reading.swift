import MockHTTP

extension QueryParameters {
    /// The one value of a parameter that may be spelled several ways (`page_size` or `pageSize`).
    ///
    /// Values in `absentValues` (always including the empty string) count as not given. A parameter given
    /// more than once is accepted only if every given value is the same.
    func singleValue(of names: [String], treatingAsAbsent absentValues: [String] = []) throws(VendorError) -> String? {
        var first: String?
        for name in names {
            for parameter in self where parameter.name == name {
                let value = parameter.value
                if value.isEmpty || absentValues.contains(value) { continue }
                guard let first else {
                    first = value
                    continue
                }
                if value != first {
                    throw .badRequest(
                        ParameterProblem(
                            parameter: names[0], value: value,
                            reason:
                                "is given more than once with different values (\(JSONString.quoted(first)) and \(JSONString.quoted(value)))"
                        ))
                }
            }
        }
        return first
    }

    /// An integer parameter in `range`, written as plain decimal digits (no sign, point or exponent).
    func integer(
        _ names: [String], in range: ClosedRange<Int>, default defaultValue: Int, requirement: String,
        treatingAsAbsent absentValues: [String] = []
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
