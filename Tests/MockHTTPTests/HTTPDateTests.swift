import Testing

@testable import MockHTTP

/// IMF-fixdate formatting (RFC 9110 §5.6.7).
@Suite struct HTTPDateTests {
    @Test(arguments: [
        (784_111_777, "Sun, 06 Nov 1994 08:49:37 GMT"),  // the example of RFC 9110 §5.6.7
        (0, "Thu, 01 Jan 1970 00:00:00 GMT"),
        (951_782_400, "Tue, 29 Feb 2000 00:00:00 GMT"),
        (1_772_694_489, "Thu, 05 Mar 2026 07:08:09 GMT"),
        (1_798_761_599, "Thu, 31 Dec 2026 23:59:59 GMT"),
        (2_147_483_648, "Tue, 19 Jan 2038 03:14:08 GMT"),
    ])
    func formatGivesIMFFixdate(seconds: Int, expected: String) {
        #expect(HTTPDate.format(secondsSince1970: seconds) == expected)
    }

    @Test func nowIsAnIMFFixdateOf29Characters() {
        var cache = HTTPDate.Cache()
        let now = cache.now()
        #expect(now.utf8.count == 29)
        #expect(now.hasSuffix(" GMT"))
        #expect(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].contains(String(now.prefix(3))))
        #expect(Array(now.utf8)[3] == UInt8(ascii: ","))
    }
}
