import YujingCore

/// Compiled ``URLPattern``s matched against path bytes without splitting or allocating.
///
/// Every pattern lives in flat arrays of trivial values, so matching retains and releases nothing.
struct PathClassifier: Sendable {
    enum Segment: Sendable {
        /// A literal at `start..<start + count` of `bytes`.
        case literal(start: Int, count: Int)
        case dataset
        case subject
        case any
        case rest
    }

    struct Pattern: Sendable {
        var firstSegment: Int
        var segmentCount: Int
        var channel: AccessChannel?
    }

    /// What a path revealed.
    struct Result {
        var dataset: String?
        var subject: String?
        var channel: AccessChannel?
    }

    let segments: [Segment]
    let bytes: [UInt8]
    /// Dataset patterns first, then channel-only patterns, in configured order.
    let patterns: [Pattern]

    init(datasetPatterns: [URLPattern], channelPatterns: [URLPattern]) {
        var segments: [Segment] = []
        var bytes: [UInt8] = []
        var patterns: [Pattern] = []
        for pattern in datasetPatterns + channelPatterns {
            let first = segments.count
            for part in pattern.pattern.split(separator: "/", omittingEmptySubsequences: true) {
                switch part {
                case "{dataset}": segments.append(.dataset)
                case "{subject}": segments.append(.subject)
                case "{**}": segments.append(.rest)
                default:
                    if part.hasPrefix("{"), part.hasSuffix("}") {
                        segments.append(.any)
                    } else {
                        segments.append(.literal(start: bytes.count, count: part.utf8.count))
                        bytes += part.utf8
                    }
                }
            }
            patterns.append(
                Pattern(firstSegment: first, segmentCount: segments.count - first, channel: pattern.channel))
        }
        self.segments = segments
        self.bytes = bytes
        self.patterns = patterns
    }

    /// Classifies `b[start..<end]`, a path without its query.
    func classify(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Result {
        segments.withUnsafeBufferPointer { segments in
            bytes.withUnsafeBufferPointer { literals in
                patterns.withUnsafeBufferPointer { patterns in
                    for pattern in patterns {
                        if let result = Self.match(pattern, segments, literals, b, start, end) { return result }
                    }
                    return Result()
                }
            }
        }
    }

    private static func match(
        _ pattern: Pattern, _ segments: UnsafeBufferPointer<Segment>, _ literals: UnsafeBufferPointer<UInt8>,
        _ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int
    ) -> Result? {
        var i = start
        var datasetRange = 0..<0
        var subjectRange = 0..<0
        var index = pattern.firstSegment
        let last = pattern.firstSegment + pattern.segmentCount
        var restMatched = false
        while index < last {
            let segment = segments[index]
            index += 1
            if case .rest = segment {
                restMatched = true
                break
            }
            guard i < end, b[i] == 0x2F else { return nil }
            i += 1
            let segmentStart = i
            while i < end, b[i] != 0x2F { i += 1 }
            let segmentEnd = i
            guard segmentEnd > segmentStart else { return nil }
            switch segment {
            case .literal(let literalStart, let count):
                guard count == segmentEnd - segmentStart else { return nil }
                var k = 0
                while k < count, literals[literalStart + k] == b[segmentStart + k] { k += 1 }
                guard k == count else { return nil }
            case .dataset: datasetRange = segmentStart..<segmentEnd
            case .subject: subjectRange = segmentStart..<segmentEnd
            case .any, .rest: break
            }
        }
        // A single trailing slash is tolerated.
        if !restMatched, i < end, !(i + 1 == end && b[i] == 0x2F) { return nil }
        return Result(
            dataset: datasetRange.isEmpty
                ? nil : Bytes.decodedString(b, datasetRange.lowerBound, datasetRange.upperBound),
            subject: subjectRange.isEmpty
                ? nil : Bytes.decodedString(b, subjectRange.lowerBound, subjectRange.upperBound),
            channel: pattern.channel)
    }
}
