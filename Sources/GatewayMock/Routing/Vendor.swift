/// The two emulated vendors, by the names the control plane and the journal use.
public enum Vendor: String, Sendable, CaseIterable, Equatable {
    case openrouter
    case portkey

    /// The header field that carries the vendor's API key: `Authorization` (`Bearer <key>`) for
    /// OpenRouter, `x-portkey-api-key` for Portkey.
    var keyHeader: String {
        switch self {
        case .openrouter: "Authorization"
        case .portkey: "x-portkey-api-key"
        }
    }
}
