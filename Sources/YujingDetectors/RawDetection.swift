import YujingCore

/// A validated identifier as the byte scanner sees it, before context is applied. Internal: it holds the
/// canonical value, which must never leave this module.
struct RawDetection {
    /// The identifier kind.
    var kind: IdentifierKind
    /// Byte offset of the value's first byte in the scanned buffer.
    var offset: Int
    /// Length in bytes of the value as written (with separators or full-width forms).
    var length: Int
    /// Canonical value (upper case, separators removed), valid only during `detected(_:)`. Never exported.
    var canonical: UnsafeBufferPointer<UInt8>
    /// Confidence before column and keyword context.
    var baseConfidence: Double
    /// How much context the kind needs before it is reported.
    var context: ContextRequirement
    /// Whether it identifies a natural person.
    var personLinked: Bool
}

/// How much context a weak identifier shape needs.
enum ContextRequirement {
    /// Strong by itself (checksum-validated, or a mobile segment).
    case none
    /// Needs a matching column header or a keyword shortly before it.
    case headerOrKeyword
    /// Needs a matching column header (shapes too generic for keywords, e.g. 8 bare digits).
    case header
}

/// Receives what the byte scanner finds.
protocol DetectionSink {
    /// A validated identifier.
    mutating func detected(_ detection: RawDetection)
    /// A value that has the structure of `kind` (an ID's province and date, a card's issuer prefix and
    /// length) and whether it also passed the check digit: input to column profiling.
    mutating func observed(_ kind: IdentifierKind, valid: Bool)
    /// Whether bare 8-digit numbers should be offered as Taiwan travel permits (only where a column header
    /// announces permits: the shape is otherwise any 8-digit number).
    var wantsBareDigitPermits: Bool { get }
}
