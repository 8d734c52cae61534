import YujingCore

/// Compiled ``URLPattern``s matched against path bytes without splitting or allocating.
struct PathClassifier: Sendable {
    enum Segment: Sendable {
        case literal([UInt8])
        case dataset
        case subject
        case any
        case rest
    }

    struct Compiled: Sendable {
        var segments: [Segment]
        var channel: AccessChannel?
    }

    /// What a path revealed.
    struct Result {
        var dataset: String?
        var subject: String?
        var channel: AccessChannel?
    }

    let datasetPatterns: [Compiled]
    let channelPatterns: [Compiled]

    init(datasetPatterns: [URLPattern], channelPatterns: [URLPattern]) {
        self.datasetPatterns = datasetPatterns.map(Self.compile)
        self.channelPatterns = channelPatterns.map(Self.compile)
    }

    static func compile(_ pattern: URLPattern) -> Compiled {
        let parts = pattern.pattern.split(separator: "/", omittingEmptySubsequences: true)
        let segments: [Segment] = parts.map { part in
            switch part {
            case "{dataset}": return .dataset
            case "{subject}": return .subject
            case "{**}": return .rest
            default:
                if part.hasPrefix("{"), part.hasSuffix("}") { return .any }
                return .literal(Array(part.utf8))
            }
        }
        return Compiled(segments: segments, channel: pattern.channel)
    }

    /// Classifies `b[start..<end]`, a path without its query.
    func classify(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Result {
        for pattern in datasetPatterns {
            if let result = Self.match(pattern, b, start, end) { return result }
        }
        for pattern in channelPatterns {
            if let result = Self.match(pattern, b, start, end) { return result }
        }
        return Result()
    }

    static func match(_ pattern: Compiled, _ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Result? {
        var i = start
        var datasetRange: Range<Int>?
        var subjectRange: Range<Int>?
        for segment in pattern.segments {
            if case .rest = segment {
                return result(pattern, b, datasetRange, subjectRange)
            }
            guard i < end, b[i] == 0x2F else { return nil }
            i += 1
            let segmentStart = i
            while i < end, b[i] != 0x2F { i += 1 }
            let segmentEnd = i
            guard segmentEnd > segmentStart else { return nil }
            switch segment {
            case .literal(let bytes):
                guard bytes.count == segmentEnd - segmentStart else { return nil }
                var k = 0
                while k < bytes.count {
                    guard bytes[k] == b[segmentStart + k] else { return nil }
                    k += 1
                }
            case .dataset: datasetRange = segmentStart..<segmentEnd
            case .subject: subjectRange = segmentStart..<segmentEnd
            case .any, .rest: break
            }
        }
        // A single trailing slash is tolerated.
        if i < end, !(i + 1 == end && b[i] == 0x2F) { return nil }
        return result(pattern, b, datasetRange, subjectRange)
    }

    private static func result(
        _ pattern: Compiled, _ b: UnsafeBufferPointer<UInt8>, _ dataset: Range<Int>?, _ subject: Range<Int>?
    ) -> Result {
        Result(
            dataset: dataset.map { Bytes.decodedString(b, $0.lowerBound, $0.upperBound) },
            subject: subject.map { Bytes.decodedString(b, $0.lowerBound, $0.upperBound) },
            channel: pattern.channel)
    }
}
