// swift-tools-version:6.1
import PackageDescription

// Linux only: the server is built on epoll and accept4 (and imports Glibc), so no other platform is declared.
let package = Package(
    name: "GatewayMock",
    products: [
        .executable(name: "gateway-mock", targets: ["gateway-mock"]),
        .library(name: "GatewayMock", targets: ["GatewayMock"]),
        .library(name: "MockHTTP", targets: ["MockHTTP"]),
    ],
    // Optional features, all off by default: the default build needs nothing but the Swift toolchain.
    traits: [
        .trait(name: "TLS", description: "HTTPS through the system's OpenSSL (needs libssl-dev)")
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
    ],
    targets: [
        // Bytes, sockets and HTTP/1.1: knows nothing about vendors.
        .target(
            name: "MockHTTP",
            dependencies: [
                "CLinuxShims",
                .product(name: "Logging", package: "swift-log"),
                .target(name: "COpenSSL", condition: .when(traits: ["TLS"])),
            ]
        ),
        // epoll and accept4, which Swift's Glibc module does not export.
        .target(name: "CLinuxShims"),
        // The system's OpenSSL (libssl-dev), used only with the TLS trait.
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        // The vendor emulations and the seed store: knows nothing about sockets.
        .target(
            name: "GatewayMock",
            dependencies: ["MockHTTP", .product(name: "Logging", package: "swift-log")],
            plugins: ["EmbedSeedData"]
        ),
        // The command line, nothing else.
        .executableTarget(
            name: "gateway-mock",
            dependencies: [
                "GatewayMock",
                "MockHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Build-time tool: turns seed-data/*.json into Swift source so the binary carries the default store.
        .executableTarget(name: "seed-embedder"),
        .plugin(
            name: "EmbedSeedData", capability: .buildTool(), dependencies: ["seed-embedder"],
            path: "Sources/EmbedSeedData"),
        .testTarget(
            name: "MockHTTPTests",
            dependencies: [
                "MockHTTP", "TestSupport", .product(name: "Logging", package: "swift-log"),
                .target(name: "COpenSSL", condition: .when(traits: ["TLS"])),
            ]
        ),
        .testTarget(name: "GatewayMockTests", dependencies: ["GatewayMock", "MockHTTP", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["GatewayMock", "MockHTTP", "TestSupport"]),
        // What the test targets read: the default keys, the seed files (with Foundation), a log capture, child
        // processes (posix_spawn, not Foundation's Process) and reads of their output that survive EINTR.
        .target(
            name: "TestSupport",
            dependencies: ["MockHTTP", "CLinuxShims", .product(name: "Logging", package: "swift-log")],
            path: "Tests/TestSupport"),
    ]
)

// System-library targets take no settings.
for target in package.targets where target.type != .plugin && target.type != .system {
    target.swiftSettings =
        (target.swiftSettings ?? []) + [
            .swiftLanguageMode(.v6),
            .enableUpcomingFeature("ExistentialAny"),
        ]
}
