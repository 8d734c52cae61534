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
        // Streaming readers (CSV/TSV, JSON, JSONL, XML, XLSX, text) feeding the detectors.
        .target(
            name: "YujingFormats",
            dependencies: [
                "YujingCore",
                "YujingDetectors",
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
        // The composition root: the only target that imports ArgumentParser.
        .executableTarget(
            name: "yujing",
            dependencies: [
                "YujingCore",
                "YujingDetectors",
                "YujingFormats",
                "YujingParsing",
                "YujingRules",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "YujingDetectorsTests", dependencies: ["YujingDetectors", "YujingCore"]),
        .testTarget(
            name: "YujingFormatsTests",
            dependencies: ["YujingFormats", "YujingDetectors", "YujingCore"]
        ),
        .testTarget(name: "YujingParsingTests", dependencies: ["YujingParsing", "YujingCore"]),
        .testTarget(name: "YujingRulesTests", dependencies: ["YujingRules", "YujingParsing", "YujingCore"]),
        .testTarget(name: "YujingCLITests", dependencies: ["YujingCore", "YujingDetectors"]),
    ],
    swiftLanguageModes: [.v6]
)
