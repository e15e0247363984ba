import Glibc

/// The `Date` header value (IMF-fixdate, RFC 9110 §5.6.7).
enum HTTPDate {
    /// Now, e.g. `Wed, 25 Nov 2026 14:07:41 GMT`, formatted at most once a second: each event loop keeps
    /// its own, so answering a request takes no lock shared with other loops.
    struct Cache {
        private var second = -1
        private var text = ""

        mutating func now() -> String {
            var spec = timespec()
            clock_gettime(CLOCK_REALTIME, &spec)
            if spec.tv_sec != second {
                second = Int(spec.tv_sec)
                text = format(secondsSince1970: second)
            }
            return text
        }
    }

    /// Formats a Unix time as IMF-fixdate without Foundation or the C locale.
    static func format(secondsSince1970 seconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return
            "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}
