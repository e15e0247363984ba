import Testing

@testable import MockHTTP

/// `URIAuthority`: RFC 3986's `uri-host [":" port]`, IPv6 literals to the letter of §3.2.2.
@Suite struct URIAuthorityTests {
    @Test(arguments: [
        "[1:2:3:4:5:6:7:8]", "[1:2:3:4:5:6:1.2.3.4]", "[::1:2:3:4:5:6:7]", "[1:2:3:4:5:6:7::]", "[::2:3:4:5:6:1.2.3.4]",
        "[1::1.2.3.4]", "[ABCD:ef01::]", "[::ffff:255.255.255.255]", "[v7.a:b]", "[V1F.x]",
    ])
    func validIPLiterals(literal: String) {
        #expect(URIAuthority.isValid(literal))
        #expect(URIAuthority.isValid(literal + ":443", requiringPort: true))
    }

    @Test(arguments: [
        "[1:2:3:4:5:6:7]", "[1:2:3:4:5:6:7:8:9]", "[1:2:3:4:5:6:7:1.2.3.4]", "[1:2:3:4:5:6:7::8]", "[12345::]",
        "[::01.2.3.4]", "[1.2.3.4::]", "[::1.2.3]", "[::1.2.3.4.5]", "[:1::]", "[1::2:]", "[::1]]", "[[::1]",
        "[v.x]", "[v1x]", "[v1.x y]",
    ])
    func invalidIPLiterals(literal: String) {
        #expect(!URIAuthority.isValid(literal))
    }

    @Test func authorityFormNeedsItsPort() {
        #expect(URIAuthority.isValid("example.com:443", requiringPort: true))
        #expect(!URIAuthority.isValid("example.com", requiringPort: true))
        #expect(!URIAuthority.isValid("example.com:", requiringPort: true))
        #expect(URIAuthority.isValid("example.com:"))
    }

    @Test func aPortIsAtMostFiveDigitsAnd65535() {
        #expect(URIAuthority.isValid("a:00080"))
        #expect(URIAuthority.isValid("a:65535"))
        #expect(!URIAuthority.isValid("a:65536"))
        #expect(!URIAuthority.isValid("a:000080"))
        #expect(!URIAuthority.isValid("a:-1"))
    }

    @Test func theEmptyTextIsNoAuthority() {
        #expect(!URIAuthority.isValid(""))
    }
}
