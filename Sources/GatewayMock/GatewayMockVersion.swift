/// The product version, printed by `gateway-mock --version` and served by `/__admin/health` and the index.
public enum GatewayMockVersion {
    public static let current = "0.1.0"
}
