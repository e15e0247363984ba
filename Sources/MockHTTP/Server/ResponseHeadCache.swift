/// The last response head an event loop's connections wrote, and what it was made from: a client that
/// polls the same page, on one connection or with a new connection per request, gets the same head
/// (status, fields, body length, `Date` second, persistence, version), which is then sent again rather
/// than built again (building it was 7% of a keep-alive request's instructions, and 6% of an exchange on
/// a connection of its own, when each connection kept its own). One per loop, used on its thread only.
final class ResponseHeadCache {
    /// What `HTTPResponse.head` makes a head from.
    struct Inputs: Equatable {
        var status: Int
        var headers: HTTPHeaders
        var bodyCount: Int
        var streams: Bool
        var date: String
        var connection: HTTPResponse.Persistence
        var minorVersion: Int

        init(_ response: HTTPResponse, date: String, connection: HTTPResponse.Persistence, minorVersion: Int) {
            (status, headers, bodyCount) = (response.status.code, response.headers, response.body.count)
            (streams, self.date, self.connection, self.minorVersion) =
                (response.stream != nil, date, connection, minorVersion)
        }
    }

    /// A head and what it was made from, immutable: a `let` of an object is compared where it is, where a
    /// struct in a `var` would be copied out for each comparison (as costly as the comparison itself).
    private final class Entry {
        let made: Inputs
        let bytes: [UInt8]

        init(made: Inputs, bytes: [UInt8]) {
            (self.made, self.bytes) = (made, bytes)
        }
    }

    /// Not checked for exclusive access at run time: only the loop's thread touches it, and nothing it
    /// calls while reading or replacing it comes back here.
    @exclusivity(unchecked) private var last: Entry?

    /// The head of `response` made from `inputs`: the last one when it was made from the same inputs.
    func head(of response: HTTPResponse, _ inputs: Inputs) -> [UInt8] {
        if let last, last.made == inputs { return last.bytes }
        let bytes = response.head(
            date: inputs.date, connection: inputs.connection, requestMinorVersion: inputs.minorVersion)
        last = Entry(made: inputs, bytes: bytes)
        return bytes
    }
}
