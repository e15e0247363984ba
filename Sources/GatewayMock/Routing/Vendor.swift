/// The two emulated vendors, by the names the control plane and the journal use.
public enum Vendor: String, Sendable, CaseIterable, Equatable {
    case openrouter
    case portkey
}
