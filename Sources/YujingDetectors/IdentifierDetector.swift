import YujingCore

/// Settings of the detector. The scan date is an input so that results are reproducible.
public struct DetectorConfiguration: Sendable {
    /// The scan date: birth dates after it are impossible.
    public var today: CalendarDay
    /// Oldest plausible birth year (1900 by default; archives may need 1880).
    public var minimumBirthYear: Int
    /// Findings below this confidence are not reported (0.5 by default).
    public var minimumConfidence: Double

    /// Creates a configuration.
    /// - Parameters:
    ///   - today: The scan date.
    ///   - minimumBirthYear: Oldest plausible birth year.
    ///   - minimumConfidence: Reporting threshold in 0...1.
    public init(today: CalendarDay, minimumBirthYear: Int = 1900, minimumConfidence: Double = 0.5) {
        self.today = today
        self.minimumBirthYear = minimumBirthYear
        self.minimumConfidence = minimumConfidence
    }
}

/// The identifier detector: validation, context, masks and keyed hashes. Immutable and `Sendable`; create
/// one per installation key and a ``DetectionSession`` per file.
public struct IdentifierDetector: Sendable {
    /// The configuration in force.
    public let configuration: DetectorConfiguration
    let hasher: KeyedHasher
    let scanner: TokenScanner

    /// Creates a detector.
    /// - Parameters:
    ///   - configuration: Dates and thresholds.
    ///   - key: The per-installation secret for keyed hashes.
    public init(configuration: DetectorConfiguration, key: [UInt8]) {
        self.configuration = configuration
        self.hasher = KeyedHasher(key: key)
        self.scanner = TokenScanner(today: configuration.today, minimumBirthYear: configuration.minimumBirthYear)
    }

    /// Scans one standalone text (no columns) and returns its findings.
    /// - Parameters:
    ///   - text: The text.
    ///   - file: The file name to put in the findings.
    /// - Returns: Findings, masked and hashed.
    public func findings(in text: String, file: String = "-") -> [Finding] {
        var session = DetectionSession(detector: self, file: file)
        var copy = text
        _ = copy.withUTF8 { utf8 in
            session.scan(UnsafeRawBufferPointer(utf8), field: -1, line: 1, record: 1)
        }
        return session.finish()
    }
}
