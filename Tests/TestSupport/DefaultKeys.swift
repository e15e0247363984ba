/// The keys of the default `seed-data/keys.json`, as the README documents them.
public enum DefaultKeys {
    public static let openRouterManagement = "sk-or-v1-mock-management"
    public static let openRouterInference = "sk-or-v1-mock-inference"
    public static let portkeyAdmin = "pk-mock-admin"
    public static let portkeyWorkspace = "pk-mock-workspace"
}
