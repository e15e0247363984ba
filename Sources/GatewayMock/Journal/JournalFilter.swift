import MockHTTP

/// Which journal entries a reader wants: `?vendor=` and `?status=` on `GET /__admin/requests` and on the live
/// feed (`GET /__admin/requests/stream`), with the same syntax and the same 400s on both.
///
/// - `vendor`: `openrouter`, `portkey` or `any` (the same as leaving it out).
/// - `status`: a comma-separated list of status codes (`404`) and classes (`4xx`), e.g. `4xx,500`; an entry
///   matches when its status is one of them. An entry without a status (a simulated fault that sent no
///   response) matches no list.
struct JournalFilter: Sendable, Equatable {
    /// Only this vendor's requests; nil: both.
    var vendor: Vendor?
    /// Only entries whose status is in one of these ranges; nil: any status, none included.
    var statuses: [ClosedRange<Int>]?

    /// Every entry.
    static let all = JournalFilter()

    init(vendor: Vendor? = nil, statuses: [ClosedRange<Int>]? = nil) {
        self.vendor = vendor
        self.statuses = statuses
    }

    /// The filter the two parameters' values describe (nil when a parameter is absent); throws the message
    /// of the 400 for a value that is not one.
    init(vendor vendorText: String?, status statusText: String?) throws(Invalid) {
        if let vendorText, vendorText != "any" {
            guard let vendor = Vendor(rawValue: vendorText) else {
                throw Invalid(message: "vendor must be openrouter, portkey or any")
            }
            self.vendor = vendor
        }
        if let statusText {
            self.statuses = try statusText.split(separator: ",", omittingEmptySubsequences: false).map {
                (item) throws(Invalid) in
                guard let range = Self.statusRange(item) else {
                    throw Invalid(
                        message:
                            "status must be a comma-separated list of status codes (404) and classes (4xx), e.g. 4xx,500; got \(JSONString.quoted(statusText))"
                    )
                }
                return range
            }
        }
    }

    /// A filter's parameter value that is not one: the message of the control plane's 400.
    struct Invalid: Error, Sendable, Equatable {
        var message: String
    }

    func matches(_ entry: JournalEntry) -> Bool {
        if let vendor, vendor != entry.vendor { return false }
        guard let statuses else { return true }
        guard let status = entry.status else { return false }
        return statuses.contains { $0.contains(status) }
    }

    /// `404` as 404...404, `4xx` (or `4XX`) as 400...499; from 100 to 599; nil for anything else.
    private static func statusRange(_ item: Substring) -> ClosedRange<Int>? {
        let bytes = Array(item.utf8)
        guard bytes.count == 3, (UInt8(ascii: "1")...UInt8(ascii: "5")).contains(bytes[0]) else { return nil }
        let hundreds = Int(bytes[0] - UInt8(ascii: "0")) * 100
        if bytes[1...].allSatisfy({ $0 == UInt8(ascii: "x") || $0 == UInt8(ascii: "X") }) {
            return hundreds...(hundreds + 99)
        }
        guard bytes[1].isDigit, bytes[2].isDigit else { return nil }
        let code = hundreds + Int(bytes[1] - UInt8(ascii: "0")) * 10 + Int(bytes[2] - UInt8(ascii: "0"))
        return code...code
    }
}
