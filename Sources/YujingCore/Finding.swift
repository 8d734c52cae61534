/// Where in a file an identifier was found.
///
/// Text formats carry a 1-based `line` where the value starts; XLSX carries `sheet` and `row`.
/// `column` is a column header for tables, or a JSON/XML path for documents.
public struct FindingLocation: Sendable, Hashable, Codable {
    /// The file path as given to the scanner.
    public var file: String
    /// 1-based line on which the value starts (text formats only).
    public var line: Int?
    /// Worksheet name (XLSX only).
    public var sheet: String?
    /// 1-based worksheet row (XLSX only).
    public var row: Int?
    /// 1-based data record number (CSV/XLSX rows after the header, JSON Lines lines, JSON array items).
    public var record: Int?
    /// Column header, or the JSON/XML path of the value.
    public var column: String?

    /// Creates a location.
    /// - Parameters:
    ///   - file: The file path.
    ///   - line: 1-based line where the value starts.
    ///   - sheet: Worksheet name for XLSX.
    ///   - row: 1-based worksheet row for XLSX.
    ///   - record: 1-based record number.
    ///   - column: Column header or document path.
    public init(
        file: String, line: Int? = nil, sheet: String? = nil, row: Int? = nil, record: Int? = nil,
        column: String? = nil
    ) {
        self.file = file
        self.line = line
        self.sheet = sheet
        self.row = row
        self.record = record
        self.column = column
    }
}

/// One identifier found in a dataset. It never holds the clear value: only a mask and a keyed hash.
public struct Finding: Sendable, Hashable, Codable {
    /// What kind of identifier this is.
    public var kind: IdentifierKind
    /// Where it was found.
    public var location: FindingLocation
    /// The masked value, e.g. `110***********002X` or `138****5678`.
    public var masked: String
    /// Keyed hash (HMAC-SHA256, hex, 128 bits) of the canonical value, for correlation.
    public var hash: String
    /// Confidence in 0...1.
    public var confidence: Double
    /// Whether the identifier points at a natural person (false for most credit codes; true for
    /// codes of individual businesses, prefix `92`).
    public var personLinked: Bool

    /// Creates a finding.
    /// - Parameters:
    ///   - kind: Identifier kind.
    ///   - location: Where it was found.
    ///   - masked: Masked value.
    ///   - hash: Keyed hash of the canonical value.
    ///   - confidence: Confidence in 0...1.
    ///   - personLinked: Whether it identifies a natural person.
    public init(
        kind: IdentifierKind, location: FindingLocation, masked: String, hash: String, confidence: Double,
        personLinked: Bool
    ) {
        self.kind = kind
        self.location = location
        self.masked = masked
        self.hash = hash
        self.confidence = confidence
        self.personLinked = personLinked
    }
}
