import YujingCore

/// Text with every detected identifier replaced by its mask, and what was found in it.
///
/// Used for names that come from the data itself (column headers, JSON keys, XML element names, sheet
/// names, file names): they are shown in findings, so they must never carry a clear identifier.
public struct Redaction: Sendable, Equatable {
    /// One identifier found in the text.
    public struct Item: Sendable, Equatable {
        /// Identifier kind.
        public var kind: IdentifierKind
        /// Masked value.
        public var masked: String
        /// Keyed hash.
        public var hash: String
        /// Confidence without context (weak shapes stay low).
        public var confidence: Double
        /// Whether it identifies a natural person.
        public var personLinked: Bool
    }

    /// The text with identifiers masked.
    public var text: String
    /// What was masked, in text order.
    public var items: [Item]
}

/// Collects detections with their spans.
struct RedactionSink: DetectionSink {
    struct Span {
        var offset: Int
        var length: Int
        var item: Redaction.Item
    }

    let hasher: KeyedHasher
    var spans: [Span] = []
    let wantsBareDigitPermits = false

    mutating func detected(_ d: RawDetection) {
        let item = Redaction.Item(
            kind: d.kind, masked: IdentifierMask.mask(d.kind, canonical: d.canonical),
            hash: hasher.hash(d.kind, canonical: d.canonical),
            confidence: d.context == .none ? d.baseConfidence : min(d.baseConfidence, 0.3), personLinked: d.personLinked)
        spans.append(Span(offset: d.offset, length: d.length, item: item))
    }

    mutating func observed(_ kind: IdentifierKind, valid: Bool) {}
}

extension IdentifierDetector {
    /// Masks every identifier in a short text (a name, a path). Weak shapes (passport-like codes) are
    /// masked too, but reported with low confidence.
    /// - Parameter text: The text.
    /// - Returns: The masked text and the identifiers found.
    public func redact(_ text: String) -> Redaction {
        var bytes = Array(text.utf8)
        var sink = RedactionSink(hasher: hasher)
        bytes.withUnsafeBytes { scanner.scan($0, into: &sink) }
        guard !sink.spans.isEmpty else { return Redaction(text: text, items: []) }
        var out: [UInt8] = []
        var cursor = 0
        for span in sink.spans.sorted(by: { $0.offset < $1.offset }) where span.offset >= cursor {
            out.append(contentsOf: bytes[cursor..<span.offset])
            out.append(contentsOf: span.item.masked.utf8)
            cursor = min(bytes.count, span.offset + span.length)
        }
        out.append(contentsOf: bytes[cursor...])
        bytes = out
        return Redaction(text: String(decoding: bytes, as: UTF8.self), items: sink.spans.map(\.item))
    }
}
