/// The keys of the default `seed-data/keys.json`, as the README documents them.
enum DefaultKeys {
    static let openRouterManagement = "sk-or-v1-mock-management"
    static let openRouterInference = "sk-or-v1-mock-inference"
    static let portkeyAdmin = "pk-mock-admin"
    static let portkeyWorkspace = "pk-mock-workspace"
}
