import MockHTTP

extension QueryParameters {
    /// The one value of a parameter that may be spelled several ways (`page_size` or `pageSize`), with the
    /// spelling that carried it (the first, in request order), or nil when none is given.
    ///
    /// Values in `absentValues` (and the empty value when `emptyIsAbsent`) count as not given. Occurrences
    /// that all carry the same value count as one; different values throw `RepeatedParameter` (whose
    /// message says to send one comma-separated list when `takesList`).
    func occurrence(
        of names: [String], treatingAsAbsent absentValues: [String] = [], emptyIsAbsent: Bool = false,
        takesList: Bool = false
    ) throws(RepeatedParameter) -> RepeatedParameter.Occurrence? {
        guard mayContain(anyOf: names) else { return nil }
        let isGiven = { (parameter: Parameter) in
            names.contains(parameter.name) && !(emptyIsAbsent && parameter.value.isEmpty)
                && !absentValues.contains(parameter.value)
        }
        // One pass without allocating for the usual query (each parameter at most once); the list of
        // occurrences only for the error.
        var first: RepeatedParameter.Occurrence?
        for parameter in self where isGiven(parameter) {
            guard let given = first else {
                first = RepeatedParameter.Occurrence(name: parameter.name, value: parameter.value)
                continue
            }
            if parameter.value != given.value {
                let occurrences = filter(isGiven).map { RepeatedParameter.Occurrence(name: $0.name, value: $0.value) }
                throw RepeatedParameter(occurrences: occurrences, takesList: takesList)
            }
        }
        return first
    }

    /// The one value of a vendor endpoint's parameter (see `occurrence(of:)`). The empty value always counts
    /// as absent; different values are a 400 naming every occurrence.
    func singleValue(
        of names: [String], treatingAsAbsent absentValues: [String] = [], takesList: Bool = false
    ) throws(VendorError) -> String? {
        try vendorOccurrence(of: names, treatingAsAbsent: absentValues, takesList: takesList)?.value
    }

    /// An integer parameter in `range`, written as plain decimal digits (no sign, point or exponent). A bad
    /// value is a 400 naming the spelling the client used.
    func integer(
        _ names: [String], in range: ClosedRange<Int>, default defaultValue: Int, requirement: String,
        treatingAsAbsent absentValues: [String] = []
    ) throws(VendorError) -> Int {
        guard let given = try vendorOccurrence(of: names, treatingAsAbsent: absentValues) else { return defaultValue }
        var text = given.value
        // Up to 18 ASCII digits (so that no value overflows), read on the bytes in place.
        let value = text.withUTF8 { digits -> Int? in
            guard !digits.isEmpty, digits.count <= 18 else { return nil }
            var value = 0
            for digit in digits {
                guard digit.isDigit else { return nil }
                value = value * 10 + Int(digit - UInt8(ascii: "0"))
            }
            return value
        }
        guard let value, range.contains(value) else {
            throw .badRequest(ParameterProblem(parameter: given.name, value: text, reason: requirement))
        }
        return value
    }

    /// `occurrence(of:)` for a vendor endpoint: the empty value counts as absent too, and a repeat is the
    /// vendor's 400.
    private func vendorOccurrence(
        of names: [String], treatingAsAbsent absentValues: [String], takesList: Bool = false
    ) throws(VendorError) -> RepeatedParameter.Occurrence? {
        do {
            return try occurrence(
                of: names, treatingAsAbsent: absentValues, emptyIsAbsent: true, takesList: takesList)
        } catch {
            throw .repeatedParameter(error)
        }
    }
}
