/// Name-based UUIDs (RFC 9562 §5.5, version 5: SHA-1), the ids the mock gives what it creates, so that the
/// same calls in a fresh namespace give the same ids, as the seed generator's `uuid.uuid5` does for seeds.
///
/// SHA-1 is written here (FIPS 180-4 §6.1, about forty lines, checked against the standard's test vectors
/// and Python's `uuid.uuid5`) rather than taken from swift-crypto, whose BoringSSL build would add a minute
/// or more to every clean build for one hash of a few dozen bytes per create. It is not used for security.
enum UUID5 {
    /// The namespace of `scripts/generate-seed-data.py`'s ids: `6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f`.
    static let seedNamespace = "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f"

    /// `uuid5(namespace, name)` in lowercase 8-4-4-4-12 form; `namespace` is a UUID in that form.
    static func make(namespace: String, name: String) -> String {
        var input = bytes(of: namespace)
        input.append(contentsOf: name.utf8)
        var digest = Array(sha1(input).prefix(16))
        digest[6] = (digest[6] & 0x0F) | 0x50
        digest[8] = (digest[8] & 0x3F) | 0x80
        return format(digest)
    }

    /// The 16 bytes of a UUID in 8-4-4-4-12 hex form (either case); zeros for anything else.
    static func bytes(of uuid: String) -> [UInt8] {
        let digits = uuid.utf8.filter { $0 != UInt8(ascii: "-") }.compactMap(hexValue)
        guard digits.count == 32 else { return [UInt8](repeating: 0, count: 16) }
        return stride(from: 0, to: 32, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func format(_ bytes: [UInt8]) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for (index, byte) in bytes.enumerated() {
            if [4, 6, 8, 10].contains(index) { text.append(UInt8(ascii: "-")) }
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// SHA-1 (FIPS 180-4 §6.1) of `message`: 20 bytes.
    static func sha1(_ message: [UInt8]) -> [UInt8] {
        var h: [UInt32] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0]
        var padded = message
        padded.append(0x80)
        while padded.count % 64 != 56 { padded.append(0) }
        let bitLength = UInt64(message.count) * 8
        for shift in stride(from: 56, through: 0, by: -8) {
            padded.append(UInt8(truncatingIfNeeded: bitLength >> shift))
        }
        var w = [UInt32](repeating: 0, count: 80)
        for chunk in stride(from: 0, to: padded.count, by: 64) {
            for t in 0..<16 {
                w[t] = (0..<4).reduce(0) { $0 << 8 | UInt32(padded[chunk + 4 * t + $1]) }
            }
            for t in 16..<80 {
                let x = w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16]
                w[t] = x << 1 | x >> 31
            }
            var (a, b, c, d, e) = (h[0], h[1], h[2], h[3], h[4])
            for t in 0..<80 {
                let (f, k): (UInt32, UInt32) =
                    switch t {
                    case 0..<20: ((b & c) | (~b & d), 0x5A82_7999)
                    case 20..<40: (b ^ c ^ d, 0x6ED9_EBA1)
                    case 40..<60: ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC)
                    default: (b ^ c ^ d, 0xCA62_C1D6)
                    }
                let temp = (a << 5 | a >> 27) &+ f &+ e &+ k &+ w[t]
                (e, d, c, b, a) = (d, c, b << 30 | b >> 2, a, temp)
            }
            h[0] &+= a
            h[1] &+= b
            h[2] &+= c
            h[3] &+= d
            h[4] &+= e
        }
        return h.flatMap { word in [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: word >> $0) } }
    }
}
