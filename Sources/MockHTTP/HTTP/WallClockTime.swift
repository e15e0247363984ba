import Glibc

/// A reading of the wall clock (`CLOCK_REALTIME`), cheap to take and formatted only when shown: the
/// journal stamps every request with one and prints it as ISO 8601 when the journal is read.
public struct WallClockTime: Sendable, Equatable {
    public var seconds: Int
    public var nanoseconds: Int

    public init(seconds: Int, nanoseconds: Int) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    public static func now() -> WallClockTime {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return WallClockTime(seconds: Int(spec.tv_sec), nanoseconds: Int(spec.tv_nsec))
    }

    /// ISO 8601 UTC with milliseconds, e.g. `2026-11-25T14:07:41.123Z`, without Foundation.
    public var iso8601: String { iso8601(milliseconds: true) }

    /// ISO 8601 UTC to the second, e.g. `2026-11-25T14:07:41Z` (OpenRouter's timestamps).
    public var iso8601Seconds: String { iso8601(milliseconds: false) }

    private func iso8601(milliseconds: Bool) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func padded(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(padded(parts.tm_year + 1900, 4))-\(padded(parts.tm_mon + 1, 2))-\(padded(parts.tm_mday, 2))T"
            + "\(padded(parts.tm_hour, 2)):\(padded(parts.tm_min, 2)):\(padded(parts.tm_sec, 2))"
            + (milliseconds ? ".\(padded(Int32(nanoseconds / 1_000_000), 3))Z" : "Z")
    }
}
