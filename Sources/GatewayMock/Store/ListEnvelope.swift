import MockHTTP

/// The JSON a vendor's list endpoint writes around a page of records, which holds the count of all the
/// records listed. A value rather than text, so that a page `PageCache` already holds is found without
/// building the text (an interpolated string per request was a tenth of a cached page's CPU): the text
/// is made only when a page is gathered.
enum ListEnvelope: Sendable, Equatable {
    /// OpenRouter's lists (`GET /api/v1/workspaces`, a workspace's members): `{"data":[…],"total_count":N}`.
    case openRouter
    /// Portkey's lists (`GET /v1/admin/workspaces`, users): `{"total":N,"object":"list","data":[…]}`.
    case portkey

    /// The text before the first record, for `count` records in all.
    func prefix(count: Int) -> String {
        switch self {
        case .openRouter: #"{"data":["#
        case .portkey: #"{"total":\#(count),"object":"list","data":["#
        }
    }

    /// The text after the last record, for `count` records in all.
    func suffix(count: Int) -> String {
        switch self {
        case .openRouter: #"],"total_count":\#(count)}"#
        case .portkey: "]}"
        }
    }
}

extension HTTPBody {
    /// `records` in `envelope`, which says there are `count` in all.
    static func list(_ records: some Collection<some EncodedRecord>, in envelope: ListEnvelope, count: Int) -> HTTPBody
    {
        .list(records, prefix: envelope.prefix(count: count), suffix: envelope.suffix(count: count))
    }
}
