// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Yujing",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "yujing", targets: ["yujing"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // Domain values shared by every module. Foundation only.
        .target(name: "YujingCore"),
        // Bytes and cells -> identifier findings (validation, masks, keyed hashes). No I/O.
        .target(
            name: "YujingDetectors",
            dependencies: [
                "YujingCore",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Byte-scanning kernels in C (SSE2 on x86-64, portable fallback), header-only and inlined into Swift.
        .target(name: "CYujingBytes"),
        // Streaming readers (CSV/TSV, JSON, JSONL, XML, XLSX, text) feeding the detectors.
        .target(
            name: "YujingFormats",
            dependencies: [
                "YujingCore",
                "YujingDetectors",
                "CYujingBytes",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        // Access-log lines -> access events (nginx/Apache combined, JSON lines with a field map). No I/O.
        .target(name: "YujingParsing", dependencies: ["YujingCore"]),
        // Rule definitions and the event-time correlation engine -> graded warnings. No I/O; time is an input.
        .target(
            name: "YujingRules",
            dependencies: ["YujingCore", .product(name: "Yams", package: "Yams")]
        ),
        // Response plans (Runbooks/), measures, the withdrawal state machine, notice masking. No I/O beyond loading.
        .target(
            name: "YujingResponse",
            dependencies: ["YujingCore", "YujingRules", .product(name: "Yams", package: "Yams")]
        ),
        // GRDB database: migrations, records, retention, the hash-chained audit log.
        .target(
            name: "YujingStore",
            dependencies: [
                "YujingCore",
                "YujingResponse",
                .product(name: "GRDB", package: "GRDB.swift"),
                // GRDB's own SQLite module, for binding ingest columns with the C API (no extra dependency).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Notifications (Alertmanager v2, signed webhooks) behind a protocol, drained by a background Service.
        .target(
            name: "YujingActions",
            dependencies: [
                "YujingCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The daemon: Hummingbird API, auth, ingest, warnings, metrics, the engine actor.
        .target(
            name: "YujingServer",
            dependencies: [
                "YujingCore",
                "YujingRules",
                "YujingResponse",
                "YujingStore",
                "YujingActions",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        // The operator console: server-rendered pages (Mustache), sessions, CSRF, zh-CN/English, mounted by the daemon
        // under /console.
        .target(
            name: "YujingConsole",
            dependencies: [
                "YujingCore",
                "YujingResponse",
                "YujingStore",
                "YujingServer",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        // The agent: log tailing, checkpoints, disk spool, shipping, dataset-release scans, as Services.
        .target(
            name: "YujingAgent",
            dependencies: [
                "YujingCore",
                "YujingDetectors",
                "YujingFormats",
                "YujingParsing",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // The composition root: the only target that imports ArgumentParser.
        .executableTarget(
            name: "yujing",
            dependencies: [
                "YujingCore",
                "YujingDetectors",
                "YujingFormats",
                "YujingParsing",
                "YujingRules",
                "YujingResponse",
                "YujingStore",
                "YujingServer",
                "YujingConsole",
                "YujingAgent",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Helpers shared by the test targets (a seeded random generator).
        .target(name: "YujingTestSupport", path: "Tests/YujingTestSupport"),
        .testTarget(name: "YujingDetectorsTests", dependencies: ["YujingDetectors", "YujingCore", "YujingTestSupport"]),
        .testTarget(
            name: "YujingFormatsTests",
            dependencies: ["YujingFormats", "YujingDetectors", "YujingCore", "YujingTestSupport"]
        ),
        .testTarget(name: "YujingParsingTests", dependencies: ["YujingParsing", "YujingCore"]),
        .testTarget(name: "YujingRulesTests", dependencies: ["YujingRules", "YujingParsing", "YujingCore"]),
        .testTarget(name: "YujingResponseTests", dependencies: ["YujingResponse", "YujingRules", "YujingCore"]),
        .testTarget(name: "YujingCLITests", dependencies: ["YujingCore", "YujingDetectors", "YujingTestSupport"]),
        .testTarget(
            name: "YujingStoreTests",
            dependencies: [
                "YujingStore", "YujingCore", "YujingTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "YujingServerTests",
            dependencies: [
                "YujingServer",
                "YujingAgent",
                "YujingTestSupport",
                "YujingStore",
                "YujingActions",
                "YujingRules",
                "YujingCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "YujingConsoleTests",
            dependencies: [
                "YujingConsole",
                "YujingServer",
                "YujingStore",
                "YujingResponse",
                "YujingRules",
                "YujingCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "YujingAgentTests",
            dependencies: [
                "YujingAgent",
                "YujingCore",
                "YujingParsing",
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
